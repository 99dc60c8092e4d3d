using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Identity;
using Studio.Modules.TwoFactor.Services;
using Studio.Modules.TwoFactor.Settings;
using Studio.Security;

namespace Studio.Modules.TwoFactor.Pages.Account.TwoFactor;

/// <summary>
/// The second sign-in step: the code from the user's authenticator app, after the password step left a pending
/// two-factor sign-in. Lockout, the ±1-step window and replay refusal come from Identity and our token provider.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class IndexModel(SignInManager<StudioUser> signIn, IOptions<TwoFactorSettings> settings, TwoFactorAudit audit,
    IStringLocalizer<IndexModel> localizer) : TwoFactorPageModel
{
    /// <summary>The six-digit code.</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>Skip this step on this device for the tenant's configured days.</summary>
    [BindProperty]
    public bool RememberDevice { get; set; }

    /// <summary>Keep the session after the browser closes (chosen on the sign-in page).</summary>
    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    /// <summary>Days "Remember this device" lasts, or null when the tenant turned it off.</summary>
    public int? RememberDeviceDays => settings.Value.RememberDevice is null ? null : settings.Value.RememberDeviceDays;

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToSignIn() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
            return RedirectToSignIn();
        var code = TotpEngine.Normalize(Code);
        if (code is null || code.Length != TotpEngine.Digits)
        {
            ModelState.AddModelError(nameof(Code), localizer["Enter the {0}-digit code from your authenticator app.", TotpEngine.Digits]);
            return Page();
        }
        var wasLocked = await signIn.UserManager.IsLockedOutAsync(user);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code, RememberMe, RememberDeviceDays is not null && RememberDevice);
        if (result.Succeeded)
            return LocalRedirect(SafeReturnUrl);
        await audit.RecordAsync(TwoFactorAuditActions.Failed, user, new { method = "authenticator", reason = result.IsLockedOut ? "locked-out" : "code" });
        if (result.IsLockedOut)
        {
            // This failure is the one that locked the account (Identity counted it): record the lockout once.
            if (!wasLocked)
                await audit.RecordAsync(TwoFactorAuditActions.Lockout, user, new { method = "authenticator", until = (await signIn.UserManager.FindByIdAsync(user.Id))?.LockoutEnd?.UtcDateTime });
            ModelState.AddModelError("", localizer["Too many attempts: this account is locked for a while. Try again later."]);
            return Page();
        }
        ModelState.AddModelError(nameof(Code), localizer["That code is not valid. Codes change every 30 seconds and each works once."]);
        return Page();
    }
}
