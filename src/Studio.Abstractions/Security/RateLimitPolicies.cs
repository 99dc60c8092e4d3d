using Microsoft.AspNetCore.Builder;

namespace Studio.Security;

/// <summary>
/// The host's named rate-limit policies. Each is partitioned by (tenant, client IP), so one tenant's traffic
/// never uses another tenant's budget, and limits are set under <c>Studio:RateLimits:{Policy}</c>
/// (<c>PermitLimit</c>, <c>Window</c>). Attach one to a minimal-API endpoint with
/// <see cref="RateLimitEndpointExtensions.RequireStudioRateLimit{TBuilder}"/>, or to a Razor page with
/// <c>[EnableRateLimiting(RateLimitPolicies.SignIn)]</c> on its page model. A refused request is answered 429
/// with <c>Retry-After</c>: the tenant's themed error page for browsers, problem details otherwise.
/// </summary>
public static class RateLimitPolicies
{
    /// <summary>Password sign-in attempts.</summary>
    public const string SignIn = "SignIn";

    /// <summary>Requests for a sign-in (magic) link by e-mail.</summary>
    public const string MagicLink = "MagicLink";

    /// <summary>Account recovery: password reset, recovery codes.</summary>
    public const string Recovery = "Recovery";

    /// <summary>Public booking requests from the studio's site.</summary>
    public const string PublicBooking = "PublicBooking";

    /// <summary>Every policy the host defines.</summary>
    public static IReadOnlyList<string> All { get; } = [SignIn, MagicLink, Recovery, PublicBooking];
}

/// <summary>Attaches the host's rate-limit policies to endpoints.</summary>
public static class RateLimitEndpointExtensions
{
    /// <summary>Limits the endpoint with one of <see cref="RateLimitPolicies"/>, per tenant and client IP.</summary>
    public static TBuilder RequireStudioRateLimit<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder
    {
        if (!RateLimitPolicies.All.Contains(policy))
            throw new ArgumentException($"Unknown rate-limit policy '{policy}'. Use one of: {string.Join(", ", RateLimitPolicies.All)}.", nameof(policy));
        return builder.RequireRateLimiting(policy);
    }
}
