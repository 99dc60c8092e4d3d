using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.Currencies.Services;

/// <summary>The currency settings link, for owners and admins (who may open /admin).</summary>
public sealed class CurrencyNavigation(IHttpContextAccessor accessor, IStringLocalizer<CurrencyNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems()
    {
        var user = accessor.HttpContext?.User;
        if (user?.Identity?.IsAuthenticated == true && (user.IsInRole(StudioRoles.Owner) || user.IsInRole(StudioRoles.Admin)))
            return [new(localizer["Currencies"], "~" + Studio.Currencies.CurrenciesFeature.SettingsPath, 880)];
        return [];
    }
}
