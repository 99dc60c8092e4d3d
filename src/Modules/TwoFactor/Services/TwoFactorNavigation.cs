using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Navigation;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>A link to the signed-in user's two-factor settings, before the account's own "Sign out".</summary>
public sealed class TwoFactorNavigation(IHttpContextAccessor accessor, IStringLocalizer<TwoFactorNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems() =>
        accessor.HttpContext?.User.Identity?.IsAuthenticated == true
            ? [new(localizer["Two-factor authentication"], "~" + IdentityPaths.TwoFactorSetup, 950)]
            : [];
}
