using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Modules.Identity.Services;
using Studio.Security;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Accepts a staff invitation: the invitee chooses a password and is signed in.</summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.Recovery)]
public sealed class InvitationModel(AccountService accounts, IStringLocalizer<InvitationModel> localizer) : AccountPage
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? InviteeEmail { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        InviteeEmail = (await accounts.FindInvitationAsync(Token, cancellationToken))?.Email;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        InviteeEmail = (await accounts.FindInvitationAsync(Token, cancellationToken))?.Email;
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), localizer["Choose a password."]);
            return Page();
        }
        var result = await accounts.AcceptInvitationAsync(Token, Password, cancellationToken);
        Password = null;
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }
        return LocalRedirect(Url.Content("~/"));
    }
}
