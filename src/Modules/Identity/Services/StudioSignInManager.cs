using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Identity;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Identity's sign-in manager, plus a sign-in that still asks for the second factor: a magic link or an accepted
/// invitation proves the e-mail address, not the authenticator.
/// </summary>
public sealed class StudioSignInManager(
    UserManager<StudioUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StudioUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StudioUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StudioUser> confirmation)
    : SignInManager<StudioUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>Signs in, or starts the two-factor step when the account has it (result <c>RequiresTwoFactor</c>).</summary>
    public async Task<SignInResult> SignInWithSecondFactorAsync(StudioUser user, bool isPersistent)
    {
        if (await PreSignInCheck(user) is { } refused)
            return refused;
        return await SignInOrTwoFactorAsync(user, isPersistent);
    }
}
