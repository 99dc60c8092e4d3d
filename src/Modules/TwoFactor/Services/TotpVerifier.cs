using Studio.Modules.TwoFactor.Data;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>
/// Checks an authenticator code for a user: valid within ±1 step of now (by the injected <see cref="TimeProvider"/>),
/// and for a later step than the last code this user had accepted, which it then records — so a code is never
/// accepted twice, and neither is an older one still inside the window.
/// </summary>
public sealed class TotpVerifier(TotpStepStore steps, TimeProvider clock)
{
    /// <summary>True when the code is valid now and had not been used; the step is then spent.</summary>
    public async Task<bool> VerifyAsync(string userId, string? base32Key, string? code, CancellationToken cancellationToken = default)
    {
        var key = TotpEngine.DecodeKey(base32Key);
        var step = TotpEngine.Match(key, code, clock.GetUtcNow());
        return step is { } matched && await steps.TryClaimAsync(userId, matched, cancellationToken);
    }
}
