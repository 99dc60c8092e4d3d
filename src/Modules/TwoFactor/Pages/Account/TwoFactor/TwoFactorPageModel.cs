using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Identity;

namespace Studio.Modules.TwoFactor.Pages.Account.TwoFactor;

/// <summary>What the two-factor pages share: the return URL (local only) and the way back to sign-in.</summary>
public abstract class TwoFactorPageModel : PageModel
{
    /// <summary>Where to go after the step; only a local URL is ever followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The return URL when it is local, else the tenant's home.</summary>
    protected string SafeReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : Url.Content("~/");

    /// <summary>The local return URL to carry along in links, or null.</summary>
    public string? LocalReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    /// <summary>Back to the sign-in page (the second step has no pending sign-in, or the session is gone).</summary>
    protected IActionResult RedirectToSignIn() =>
        Redirect(Url.Content("~" + IdentityPaths.SignIn) + (LocalReturnUrl is { } url ? QueryString.Create("returnUrl", url).ToString() : ""));
}
