using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Modules.Identity.Services;
using Studio.Modules.Identity.Settings;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>
/// Client sign-up, only where the tenant allows it (<c>Identity:AllowClientSignUp</c>). The answer is the same for a
/// new and a known address: a confirmation e-mail is sent for a new one.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.Recovery)]
public sealed class SignUpModel(AccountService accounts, IOptions<IdentitySettings> settings, TenantContext tenant, IStringLocalizer<SignUpModel> localizer) : AccountPage
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public bool Sent { get; private set; }

    private bool Allowed => settings.Value.AllowClientSignUp && !tenant.IsDefault;

    public IActionResult OnGet() => Allowed ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Allowed)
            return NotFound();
        if (!AccountService.IsEmail(Email))
            ModelState.AddModelError(nameof(Email), localizer["Enter a valid e-mail address."]);
        if (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Length > 200)
            ModelState.AddModelError(nameof(DisplayName), localizer["Enter your name (at most {0} characters).", 200]);
        if (string.IsNullOrEmpty(Password))
            ModelState.AddModelError(nameof(Password), localizer["Choose a password."]);
        if (!ModelState.IsValid)
            return Page();
        var result = await accounts.SignUpAsync(Email!, DisplayName!, Password!, ReturnUrl is not null && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null, cancellationToken);
        Password = null;
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }
        Sent = true;
        return Page();
    }
}
