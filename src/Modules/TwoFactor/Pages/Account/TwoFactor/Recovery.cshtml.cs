using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.TwoFactor.Services;
using Studio.Security;

namespace Studio.Modules.TwoFactor.Pages.Account.TwoFactor;

/// <summary>
/// The second sign-in step with one of the recovery codes instead of the app: each code works once. Rate limited
/// as account recovery, and failures count towards Identity's lockout like wrong app codes.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.Recovery)]
public sealed class RecoveryModel(SignInManager<StudioUser> signIn, TwoFactorAudit audit, IStringLocalizer<RecoveryModel> localizer)
    : TwoFactorPageModel
{
    /// <summary>One recovery code as shown at enrolment.</summary>
    [BindProperty]
    public string? RecoveryCode { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToSignIn() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
            return RedirectToSignIn();
        // Codes are made of capitals and digits; people copy them with spaces or type them in lower case.
        var code = RecoveryCode?.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code) || code.Length > 64)
        {
            ModelState.AddModelError(nameof(RecoveryCode), localizer["Enter one of your recovery codes."]);
            return Page();
        }
        var users = signIn.UserManager;
        if (await users.IsLockedOutAsync(user))
            return LockedOut();
        var failuresBefore = await users.GetAccessFailedCountAsync(user);
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            await audit.RecordAsync(TwoFactorAuditActions.RecoveryCodeUsed, user,
                new { remaining = await users.CountRecoveryCodesAsync(user) });
            return LocalRedirect(SafeReturnUrl);
        }
        if (result.IsLockedOut)
            return LockedOut();
        // Identity does not count wrong recovery codes itself; count them once (unless a later version does).
        user = await users.FindByIdAsync(user.Id) ?? user;
        if (await users.GetAccessFailedCountAsync(user) == failuresBefore)
            await users.AccessFailedAsync(user);
        await audit.RecordAsync(TwoFactorAuditActions.Failed, user, new { method = "recovery-code", reason = "code" });
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(TwoFactorAuditActions.Lockout, user, new { method = "recovery-code", until = user.LockoutEnd?.UtcDateTime });
            return LockedOut();
        }
        ModelState.AddModelError(nameof(RecoveryCode), localizer["That recovery code is not valid, or was already used."]);
        return Page();

        IActionResult LockedOut()
        {
            ModelState.AddModelError("", localizer["Too many attempts: this account is locked for a while. Try again later."]);
            return Page();
        }
    }
}
