using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Modules.Identity.Services;
using Studio.Modules.Identity.Settings;
using Studio.Security;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Sign in with a password (or ask for a link by e-mail on the magic-link page).</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class SignInModel(AccountService accounts, IOptions<IdentitySettings> settings, IStringLocalizer<SignInModel> localizer) : AccountPage
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public bool RememberMe { get; set; }

    public bool AllowSignUp => settings.Value.AllowClientSignUp;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError("", localizer["Enter your e-mail address and password."]);
            return Page();
        }
        var result = await accounts.PasswordSignInAsync(Email, Password, RememberMe, cancellationToken);
        Password = null;
        if (result.Succeeded)
            return LocalRedirect(SafeReturnUrl);
        if (result.RequiresTwoFactor)
            return RedirectToTwoFactor(RememberMe);
        ModelState.AddModelError("", result.IsLockedOut
            ? localizer["Too many failed attempts: this account is locked for a while. Try again later, or reset your password."]
            : localizer["The e-mail address or the password is not right, or the address is not confirmed yet."]);
        return Page();
    }
}
