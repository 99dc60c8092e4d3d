using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Shared helpers of the account pages.</summary>
public abstract class AccountPage : PageModel
{
    /// <summary>Where to go after signing in; only local URLs are kept.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The return URL if it is local, else the tenant's home.</summary>
    protected string SafeReturnUrl => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : Url.Content("~/");

    /// <summary>The two-factor step (the 2FA feature's page), keeping the return URL.</summary>
    protected IActionResult RedirectToTwoFactor(bool rememberMe) =>
        Redirect(Url.Content("~" + Studio.Identity.IdentityPaths.TwoFactor) + Microsoft.AspNetCore.Http.QueryString.Create(new Dictionary<string, string?>
        {
            ["returnUrl"] = SafeReturnUrl,
            ["rememberMe"] = rememberMe ? "true" : "false",
        }));
}
