using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Modules.Identity.Services;
using Studio.Security;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Asks for a password-reset link; the answer is the same whether or not the address has an account.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.Recovery)]
public sealed class ForgotPasswordModel(AccountService accounts, IStringLocalizer<ForgotPasswordModel> localizer) : AccountPage
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!AccountService.IsEmail(Email))
        {
            ModelState.AddModelError(nameof(Email), localizer["Enter a valid e-mail address."]);
            return Page();
        }
        await accounts.RequestPasswordResetAsync(Email!, cancellationToken);
        Sent = true;
        return Page();
    }
}
