namespace Studio.Host.Security;

/// <summary>One policy's limit: <see cref="PermitLimit"/> requests per <see cref="Window"/>, per tenant and client IP.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests allowed in one window.</summary>
    public int PermitLimit { get; set; }

    /// <summary>Length of the fixed window.</summary>
    public TimeSpan Window { get; set; }
}

/// <summary>The limits of the named policies, section <c>Studio:RateLimits</c>; missing entries keep their defaults.</summary>
public sealed class StudioRateLimitOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Studio:RateLimits";

    /// <summary>Limits by policy name (see <see cref="Studio.Security.RateLimitPolicies"/>).</summary>
    public Dictionary<string, RateLimitSettings> Policies { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        // Defaults sized for people, not scripts: a few mistyped passwords, a resent link, a couple of bookings.
        [Studio.Security.RateLimitPolicies.SignIn] = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) },
        [Studio.Security.RateLimitPolicies.MagicLink] = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(10) },
        [Studio.Security.RateLimitPolicies.Recovery] = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(10) },
        [Studio.Security.RateLimitPolicies.PublicBooking] = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) },
    };
}
