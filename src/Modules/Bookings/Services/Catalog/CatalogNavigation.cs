using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>The bookings set-up link, for those who may open it (the studio's owners and admins).</summary>
public sealed class CatalogNavigation(IHttpContextAccessor accessor, IStringLocalizer<CatalogNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true && (user.IsInRole(StudioRoles.Owner) || user.IsInRole(StudioRoles.Admin)))
            return [new(localizer["Bookings set-up"], "~/admin/bookings", 880)];
        return [];
    }
}
