using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Identity;
using Studio.Localization;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Host.Pages;

/// <summary>
/// The language picker: lists the tenant's languages (it works without script) and remembers the choice — in the
/// tenant's language cookie, and on the account when someone is signed in.
/// </summary>
/// <remarks>
/// The picker is in every page's header; an antiforgery token there would make every page uncacheable. Forging this
/// POST gains nothing: it can only switch a visitor's language, and from another site it cannot reach the account —
/// the sign-in cookie is SameSite=Lax, so a cross-site POST arrives signed out.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class CultureModel(TenantContext tenant, Studio.Host.Localization.TenantLanguages languages) : PageModel
{
    /// <summary>The languages the tenant offers.</summary>
    public IReadOnlyList<StudioLanguage> Languages => languages.Offered;

    /// <summary>Where to go back to: a local path of this tenant.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? language, CancellationToken cancellationToken)
    {
        if (StudioLanguages.Find(language) is not { } chosen || !Languages.Contains(chosen))
        {
            // A forged or stale form: show the list again rather than an error.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            ModelState.AddModelError(nameof(language), HttpContext.RequestServices
                .GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<CultureModel>>()["Choose one of the languages listed."]);
            return Page();
        }
        var culture = StudioLanguages.CultureFor(chosen, tenant.Culture);
        CultureCookie.Write(HttpContext, tenant, culture);
        if (User.Identity?.IsAuthenticated == true && HttpContext.RequestServices.GetService<IAccountLanguage>() is { } account)
            await account.SaveAsync(User, culture.Name, cancellationToken);
        return LocalRedirect(LocalUrls.Landing(Request, ReturnUrl));
    }

    /// <summary>True for the language the page is shown in.</summary>
    public static bool IsCurrent(StudioLanguage language) =>
        string.Equals(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName, language.Code, StringComparison.OrdinalIgnoreCase);
}
