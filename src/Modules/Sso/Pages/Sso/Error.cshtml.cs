using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Studio.Modules.Sso.Pages.Sso;

/// <summary>
/// The one page every refused external sign-in ends on, SAML and OpenID Connect alike (403). It never says why —
/// the reason is in the audit trail (<c>sso.saml.rejected</c>, <c>sso.oidc.rejected</c>) — and shows only a
/// localized message the flow chose to tell (Identity's account refusal), kept in TempData, never taken from the URL.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public const string Path = "/sso/error";

    /// <summary>TempData key holding the localized, non-leaking message to show.</summary>
    public const string MessageKey = "SsoError";

    public string? Message { get; private set; }

    public void OnGet()
    {
        Message = TempData[MessageKey] as string;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.CacheControl = "no-store";
    }

    /// <summary>
    /// Keeps <paramref name="message"/> (already localized, safe to show) for this page, when given, and returns the
    /// page's URL on the tenant (with its prefix) to redirect to.
    /// </summary>
    public static string Prepare(HttpContext context, string? message)
    {
        if (message is not null && context.RequestServices.GetService(typeof(ITempDataDictionaryFactory)) is ITempDataDictionaryFactory factory)
        {
            var tempData = factory.GetTempData(context);
            tempData[MessageKey] = message;
            tempData.Save();
        }
        return (context.Request.PathBase.Value ?? "") + Path;
    }
}
