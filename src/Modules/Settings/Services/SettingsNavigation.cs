using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.Settings.Services;

/// <summary>The settings link, for those who may open it (owners and admins; operators on the Default tenant).</summary>
public sealed class SettingsNavigation(IHttpContextAccessor accessor, IStringLocalizer<SettingsNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true
            && (user.IsInRole(StudioRoles.Owner) || user.IsInRole(StudioRoles.Admin) || user.IsInRole(StudioRoles.Operator)))
            return [new(localizer["Settings"], "~/admin/settings", 890), new(localizer["Features"], "~/admin/features", 891)];
        return [];
    }
}
