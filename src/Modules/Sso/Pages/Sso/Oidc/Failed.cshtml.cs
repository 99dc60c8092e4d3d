using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules;

namespace Studio.Modules.Sso.Pages.Sso.Oidc;

/// <summary>
/// The one page every refused OpenID Connect sign-in ends on. It never says why (the reason is in the audit
/// trail); it shows only the account refusal Identity chose to tell (kept in TempData, never taken from the URL).
/// </summary>
[ForFeature("Studio.Sso.Oidc")]
[IgnoreAntiforgeryToken]
public sealed class FailedModel : PageModel
{
    /// <summary>TempData key holding IExternalSignIn's localized refusal.</summary>
    public const string MessageKey = "Studio.Sso.Oidc.Error";

    public string? Message { get; private set; }

    public void OnGet()
    {
        Message = TempData[MessageKey] as string;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.CacheControl = "no-store";
    }
}
