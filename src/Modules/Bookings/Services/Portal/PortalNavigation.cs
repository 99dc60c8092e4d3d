using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>
/// Puts booking in the tenant's navigation: "Book" and "Rooms" for everyone, "My bookings" for a signed-in
/// account, "Calendar" for staff.
/// </summary>
public sealed class PortalNavigation(IStringLocalizer<PortalNavigation> localizer, IHttpContextAccessor accessor) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        yield return new(localizer["Book a session"], "~/book", 40);
        yield return new(localizer["Rooms"], "~/rooms", 41);
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated != true)
            yield break;
        yield return new(localizer["My bookings"], "~/my/bookings", 42);
        if (StudioRoles.Staff.Any(user.IsInRole))
            yield return new(localizer["Calendar"], "~/studio/calendar", 43);
    }
}
