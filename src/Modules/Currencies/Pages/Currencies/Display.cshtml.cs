using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Currencies;
using Studio.Modules.Currencies.Services;
using Studio.Security;

namespace Studio.Modules.Currencies.Pages.Currencies;

/// <summary>
/// The display-currency picker's target: remembers the visitor's choice in a cookie scoped to the tenant (its name, and
/// its prefix as path) and goes back. Only the currencies the owner allows are kept; the base currency clears the choice.
/// </summary>
public sealed class DisplayModel(IDisplayPrices prices, Studio.Tenancy.TenantContext tenant) : PageModel
{
    /// <summary>A year: a display preference, nothing more.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(365);

    public IActionResult OnGet(string? returnUrl) => Redirect(LocalUrls.Landing(Request, returnUrl));

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl, CancellationToken cancellationToken)
    {
        var choice = await prices.GetChoiceAsync(cancellationToken);
        var wanted = (code ?? "").Trim().ToUpperInvariant();
        var options = new CookieOptions
        {
            Path = Request.PathBase.HasValue ? Request.PathBase.Value : "/",
            HttpOnly = true,
            Secure = Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = CookieLifetime,
        };
        if (choice is not null && wanted != choice.BaseCurrency && choice.Choices.Contains(wanted))
            Response.Cookies.Append(DisplayPrices.CookieName(tenant), wanted, options);
        else
            Response.Cookies.Delete(DisplayPrices.CookieName(tenant), new CookieOptions { Path = options.Path, Secure = options.Secure, HttpOnly = true, SameSite = SameSiteMode.Lax });
        return Redirect(LocalUrls.Landing(Request, returnUrl));
    }
}
