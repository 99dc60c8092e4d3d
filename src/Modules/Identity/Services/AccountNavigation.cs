using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.Identity.Services;

/// <summary>Account links in the tenant's navigation: sign in, or the staff page (owners, admins) and sign out.</summary>
public sealed class AccountNavigation(IHttpContextAccessor accessor, IStringLocalizer<AccountNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated != true)
            return [new(localizer["Sign in"], "~" + IdentityPaths.SignIn, 1000)];
        var items = new List<NavigationItem>();
        if (user.IsInRole(StudioRoles.Owner) || user.IsInRole(StudioRoles.Admin) || user.IsInRole(StudioRoles.Operator))
            items.Add(new(localizer["Staff"], "~/admin/staff", 900));
        items.Add(new(localizer["Sign out"], "~" + IdentityPaths.SignOut, 1000));
        return items;
    }
}
