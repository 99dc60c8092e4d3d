using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>The "Clients" link, for the studio's staff (any staff role).</summary>
public sealed class ClientNavigation(IHttpContextAccessor accessor, IStringLocalizer<ClientNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true && IsStaff(user))
            return [new(localizer["Clients"], "~/studio/clients", 320)];
        return [];
    }

    internal static bool IsStaff(System.Security.Claims.ClaimsPrincipal user) =>
        StudioRoles.Staff.Any(user.IsInRole);
}
