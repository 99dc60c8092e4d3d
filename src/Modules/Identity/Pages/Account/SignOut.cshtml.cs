using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Studio.Identity;
using Studio.Modules.Identity.Services;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>
/// Sign out (POST; the GET shows a button, so a link or an image cannot sign anyone out). When the session came from
/// an identity provider with single logout (an <see cref="IExternalSignOutProvider"/>, e.g. SAML), the "Sign out"
/// button posts to that provider's sign-out, which ends the session here and at the provider; signing out of the
/// studio only stays possible.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(AccountService accounts, IEnumerable<IExternalSignOutProvider> externals) : AccountPage
{
    /// <summary>The provider-side sign-out for this session, if any.</summary>
    public ExternalSignOutLink? External { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated != true)
            return;
        foreach (var provider in externals)
            if ((External = await provider.FindAsync(HttpContext, cancellationToken)) is not null)
                return;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.IsAuthenticated == true)
            await accounts.SignOutAsync(cancellationToken);
        return LocalRedirect(Url.Content("~/"));
    }
}
