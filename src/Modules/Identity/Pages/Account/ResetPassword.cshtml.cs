using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Modules.Identity.Services;
using Studio.Security;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Chooses a new password with the link from the e-mail; other sessions end.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.Recovery)]
public sealed class ResetPasswordModel(AccountService accounts, IStringLocalizer<ResetPasswordModel> localizer) : AccountPage
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public bool Done { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), localizer["Choose a new password."]);
            return Page();
        }
        var result = await accounts.ResetPasswordAsync(UserId, Token, Password, cancellationToken);
        Password = null;
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }
        Done = true;
        return Page();
    }
}
