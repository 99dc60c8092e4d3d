using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Studio.Modules.Identity.Services;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Confirms an e-mail address with the link sent to it.</summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(AccountService accounts) : AccountPage
{
    [BindProperty(SupportsGet = true, Name = "user")]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Confirmed = await accounts.ConfirmEmailAsync(UserId, Token, cancellationToken);
}
