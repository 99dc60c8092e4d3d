using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Sso.Services.Saml;

namespace Studio.Modules.Sso.Pages.Sso;

/// <summary>The generic page after a refused external sign-in: the (localized, non-leaking) message set by the flow, if any.</summary>
public sealed class ErrorModel : PageModel
{
    public string? Message { get; private set; }

    public void OnGet()
    {
        Message = TempData[SamlFlow.TempDataKey] as string;
        Response.Headers.CacheControl = "no-store";
    }
}
