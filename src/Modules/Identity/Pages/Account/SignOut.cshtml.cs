using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Studio.Modules.Identity.Services;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Sign out (POST; the GET shows a button, so a link or an image cannot sign anyone out).</summary>
[AllowAnonymous]
public sealed class SignOutModel(AccountService accounts) : AccountPage
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
            await accounts.SignOutAsync(cancellationToken);
        return LocalRedirect(Url.Content("~/"));
    }
}
