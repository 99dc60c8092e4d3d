using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Identity;
using Studio.Modules.TwoFactor.Services;
using Studio.Modules.TwoFactor.Settings;
using Studio.Tenancy;

namespace Studio.Modules.TwoFactor.Pages.Account.TwoFactor;

/// <summary>
/// Enrolment and management of the signed-in user's authenticator: QR code and manual key, confirmation by a
/// valid code (two-factor is on only then), recovery codes shown once, regeneration, and disabling (with a code or
/// the password). Everything is audited.
/// </summary>
[AllowAnonymous] // signed-in users only, checked in each handler so the page needs no authorization middleware
public sealed class SetupModel(UserManager<StudioUser> users, SignInManager<StudioUser> signIn, TenantContext tenant,
    IOptions<TwoFactorSettings> settings, TwoFactorAudit audit, IStringLocalizer<SetupModel> localizer) : TwoFactorPageModel
{
    /// <summary>Number of recovery codes made at enrolment and on regeneration.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>A code from the authenticator app (confirm, disable, regenerate).</summary>
    [BindProperty]
    public string? Code { get; set; }

    /// <summary>The account password (disable, regenerate), as an alternative to a code.</summary>
    [BindProperty]
    public string? Password { get; set; }

    /// <summary>True once two-factor authentication is on for the user.</summary>
    public bool Enabled { get; private set; }

    /// <summary>The QR code and manual key while enrolling.</summary>
    public AuthenticatorEnrolment? Enrolment { get; private set; }

    /// <summary>Recovery codes just made: shown on this response only, never again.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    /// <summary>Unused recovery codes left.</summary>
    public int RecoveryCodesLeft { get; private set; }

    /// <summary>True when the tenant requires two-factor authentication for staff.</summary>
    public bool Required => settings.Value.Policy == TwoFactorPolicy.RequiredForStaff;

    /// <summary>A status line after an action.</summary>
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return RedirectToSignIn();
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Confirms enrolment with a code from the app; only then is two-factor authentication on.</summary>
    public async Task<IActionResult> OnPostEnableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return RedirectToSignIn();
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            await LoadAsync(user);
            return Page();
        }
        if (!await IsValidCodeAsync(user))
        {
            ModelState.AddModelError(nameof(Code), localizer["That code is not valid. Check the time on your phone and enter the current code."]);
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await audit.RecordAsync(TwoFactorAuditActions.Enabled, user, new { method = "authenticator" });
        // The security stamp changed: renew this session's cookie so it stays valid.
        await signIn.RefreshSignInAsync(user);
        Message = localizer["Two-factor authentication is on."];
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Replaces the recovery codes: the old set stops working at once.</summary>
    public async Task<IActionResult> OnPostRegenerateAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return RedirectToSignIn();
        if (!await users.GetTwoFactorEnabledAsync(user) || !await IsConfirmedAsync(user))
        {
            await LoadAsync(user);
            return Page();
        }
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
        await audit.RecordAsync(TwoFactorAuditActions.RecoveryCodesRegenerated, user, new { count = RecoveryCodeCount });
        await signIn.RefreshSignInAsync(user);
        Message = localizer["New recovery codes were made; the old ones no longer work."];
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Turns two-factor authentication off after a code or the password; the key is replaced.</summary>
    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return RedirectToSignIn();
        if (!await users.GetTwoFactorEnabledAsync(user) || !await IsConfirmedAsync(user))
        {
            await LoadAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        // A later enrolment gets a new key, and this browser stops being a remembered device.
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.ForgetTwoFactorClientAsync();
        await audit.RecordAsync(TwoFactorAuditActions.Disabled, user);
        await signIn.RefreshSignInAsync(user);
        Message = localizer["Two-factor authentication is off."];
        await LoadAsync(user);
        return Page();
    }

    private async Task<bool> IsValidCodeAsync(StudioUser user)
    {
        var code = TotpEngine.Normalize(Code);
        return code is not null &&
            await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
    }

    /// <summary>A valid app code, or the password, confirms a sensitive change.</summary>
    private async Task<bool> IsConfirmedAsync(StudioUser user)
    {
        if (!string.IsNullOrWhiteSpace(Code))
        {
            if (await IsValidCodeAsync(user))
                return true;
            ModelState.AddModelError(nameof(Code), localizer["That code is not valid."]);
            return false;
        }
        if (!string.IsNullOrEmpty(Password) && await users.HasPasswordAsync(user))
        {
            if (await users.CheckPasswordAsync(user, Password))
                return true;
            ModelState.AddModelError(nameof(Password), localizer["That password is not correct."]);
            return false;
        }
        ModelState.AddModelError("", localizer["Enter a code from your authenticator app or your password."]);
        return false;
    }

    private async Task LoadAsync(StudioUser user)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            // A new key changes the security stamp: renew this session's cookie so it stays valid.
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        var issuer = string.IsNullOrWhiteSpace(tenant.Brand.DisplayName) ? tenant.DisplayName : tenant.Brand.DisplayName;
        var account = await users.GetEmailAsync(user) ?? await users.GetUserNameAsync(user) ?? user.Id;
        Enrolment = AuthenticatorEnrolment.Create(issuer, account, key);
    }
}
