using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Identity.Services;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Pages.Setup;

/// <summary>
/// Creates the first platform operator. Exists only on the Default tenant, only while it has no operator, and
/// only for requests from this machine (loopback); anything else is a 404, so the page cannot be found from outside.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.SignIn)]
public sealed class IndexModel(AccountService accounts, SignInManager<StudioUser> signIn, TenantContext tenant, IStringLocalizer<IndexModel> localizer) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    private async Task<bool> AvailableAsync(CancellationToken cancellationToken) =>
        tenant.IsDefault
        && HttpContext.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        && !await accounts.HasOperatorAsync(cancellationToken);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await AvailableAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await AvailableAsync(cancellationToken))
            return NotFound();
        if (!AccountService.IsEmail(Email))
            ModelState.AddModelError(nameof(Email), localizer["Enter a valid e-mail address."]);
        if (string.IsNullOrEmpty(Password))
            ModelState.AddModelError(nameof(Password), localizer["Choose a password."]);
        if (!ModelState.IsValid)
            return Page();
        var result = await accounts.CreateAsync(Email!, "Operator", [StudioRoles.Operator], Password, emailConfirmed: true, cancellationToken);
        Password = null;
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }
        await signIn.SignInAsync(result.User!, isPersistent: false);
        return LocalRedirect(Url.Content("~/"));
    }
}
