using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Identity;
using Studio.Modules.Identity.Services;
using Studio.Modules.Identity.Settings;
using Studio.Security;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>
/// Sign in with a password (or ask for a link by e-mail on the magic-link page), or with one of the tenant's
/// identity providers: a button each, and home-realm discovery — an address whose domain belongs to a provider,
/// given without a password, goes straight to that provider.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class SignInModel(AccountService accounts, IOptions<IdentitySettings> settings, IEnumerable<IExternalProviderDirectory> directories,
    IStringLocalizer<SignInModel> localizer) : AccountPage
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public bool RememberMe { get; set; }

    public bool AllowSignUp => settings.Value.AllowClientSignUp;

    /// <summary>The tenant's enabled identity providers (sign-in buttons).</summary>
    public IReadOnlyList<ExternalProviderLink> Providers { get; private set; } = [];

    /// <summary>The URL starting a provider's sign-in, keeping the local return URL.</summary>
    public string ChallengeUrl(ExternalProviderLink link) =>
        Url.Content("~" + link.ChallengePath) + QueryString.Create("returnUrl", SafeReturnUrl);

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadProvidersAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadProvidersAsync(cancellationToken);
        if (string.IsNullOrEmpty(Password) && AccountService.IsEmail(Email))
            foreach (var directory in directories)
                if (await directory.FindByEmailAsync(Email!.Trim(), cancellationToken) is { } provider)
                    return Redirect(ChallengeUrl(provider));
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
        ModelState.AddModelError("", result is PolicyRefusedSignInResult refused
            ? refused.Message
            : result.IsLockedOut
                ? localizer["Too many failed attempts: this account is locked for a while. Try again later, or reset your password."]
                : localizer["The e-mail address or the password is not right, or the address is not confirmed yet."]);
        return Page();
    }

    private async Task LoadProvidersAsync(CancellationToken cancellationToken)
    {
        var all = new List<ExternalProviderLink>();
        foreach (var directory in directories)
            all.AddRange(await directory.ListAsync(cancellationToken));
        Providers = all;
    }
}
