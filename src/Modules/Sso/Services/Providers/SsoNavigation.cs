using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>The single sign-on set-up link, for those who may open it (owners and admins; operators on the platform).</summary>
public sealed class SsoNavigation(IHttpContextAccessor accessor, TenantContext tenant, IStringLocalizer<SsoNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true
            && (user.IsInRole(StudioRoles.Owner) || user.IsInRole(StudioRoles.Admin) || (tenant.IsDefault && user.IsInRole(StudioRoles.Operator))))
            return [new(localizer["Single sign-on"], "~/admin/sso", 895)];
        return [];
    }
}
