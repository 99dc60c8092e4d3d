using Microsoft.AspNetCore.Identity;
using Studio.Identity;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>
/// The tenant's authenticator token provider (registered as <see cref="TokenOptions.AuthenticatorTokenProvider"/>),
/// so <c>SignInManager.TwoFactorAuthenticatorSignInAsync</c> and <c>UserManager.VerifyTwoFactorTokenAsync</c> check
/// codes with the ±1-step window and replay refusal of <see cref="TotpVerifier"/>, and Identity's lockout counts
/// the failures.
/// </summary>
public sealed class TotpTokenProvider(TotpVerifier verifier) : IUserTwoFactorTokenProvider<StudioUser>
{
    /// <summary>The name the provider is registered under in <see cref="TokenOptions.ProviderMap"/>.</summary>
    public const string Name = "StudioAuthenticator";

    /// <summary>The codes come from the user's app, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<StudioUser> manager, StudioUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StudioUser> manager, StudioUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        return !string.IsNullOrEmpty(key) && await verifier.VerifyAsync(await manager.GetUserIdAsync(user), key, token);
    }

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StudioUser> manager, StudioUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));
}
