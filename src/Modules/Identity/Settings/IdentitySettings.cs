namespace Studio.Modules.Identity.Settings;

/// <summary>Per-tenant account settings (tenant settings section <c>Identity</c>).</summary>
public sealed class IdentitySettings
{
    /// <summary>The settings section name.</summary>
    public const string Section = "Identity";

    /// <summary>Whether visitors may create a client account themselves (<c>Identity:AllowClientSignUp</c>).</summary>
    public bool AllowClientSignUp { get; set; }

    /// <summary>Failed password attempts before the account is locked.</summary>
    public int MaxFailedAccessAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a magic sign-in link works.</summary>
    public TimeSpan MagicLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a staff invitation works.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Minimum password length.</summary>
    public int MinimumPasswordLength { get; set; } = 10;
}
