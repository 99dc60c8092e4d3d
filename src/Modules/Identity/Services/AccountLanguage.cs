using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;
using Studio.Localization;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// The account's language: saved when a signed-in user picks one, and put back in the language cookie whenever
/// they sign in (any way: password, link, two-factor, single sign-on), so the choice follows them between browsers.
/// </summary>
internal sealed class AccountLanguage(UserManager<StudioUser> users) : IAccountLanguage
{
    public async Task SaveAsync(ClaimsPrincipal user, string culture, CancellationToken cancellationToken = default)
    {
        if (await users.GetUserAsync(user) is not { } account || account.Culture == culture)
            return;
        account.Culture = culture;
        await users.UpdateAsync(account);
    }

    /// <summary>Sets the language cookie from the account of the user who just signed in, when it has one.</summary>
    public static async Task RestoreAsync(HttpContext context, ClaimsPrincipal principal)
    {
        var users = context.RequestServices.GetRequiredService<UserManager<StudioUser>>();
        var tenant = context.RequestServices.GetRequiredService<TenantContext>();
        if (await users.GetUserAsync(principal) is not { Culture: { Length: > 0 } name })
            return;
        CultureInfo culture;
        try { culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true); }
        catch (CultureNotFoundException) { return; }
        if (StudioLanguages.Of(culture) is not null)
            CultureCookie.Write(context, tenant, culture);
    }
}
