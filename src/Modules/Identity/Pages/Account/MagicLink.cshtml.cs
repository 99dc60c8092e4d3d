using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Modules.Identity.Services;
using Studio.Security;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>
/// "E-mail me a sign-in link": asks for the address (the same answer whether or not it has an account), and signs
/// in with the link once. Opening the link shows a button: mail scanners that fetch links do not use them up.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.MagicLink)]
public sealed class MagicLinkModel(AccountService accounts, IStringLocalizer<MagicLinkModel> localizer) : AccountPage
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool Sent { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostRequestAsync(CancellationToken cancellationToken)
    {
        if (!AccountService.IsEmail(Email))
        {
            ModelState.AddModelError(nameof(Email), localizer["Enter a valid e-mail address."]);
            return Page();
        }
        await accounts.RequestMagicLinkAsync(Email!, Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null, cancellationToken);
        Sent = true;
        return Page();
    }

    public async Task<IActionResult> OnPostUseAsync(CancellationToken cancellationToken)
    {
        var result = await accounts.RedeemMagicLinkAsync(Token, cancellationToken);
        if (result is { Succeeded: true })
            return LocalRedirect(SafeReturnUrl);
        if (result is { RequiresTwoFactor: true })
            return RedirectToTwoFactor(rememberMe: false);
        Token = null;
        ModelState.AddModelError("", localizer["This sign-in link is not valid any more: links work once, for a short time. Ask for a new one."]);
        return Page();
    }
}
