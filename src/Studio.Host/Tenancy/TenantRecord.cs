using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// A tenant as stored in the platform store. Immutable: a change is a new record with a new
/// <see cref="Version"/>, which is how concurrent edits are detected.
/// </summary>
public sealed record TenantRecord
{
    /// <summary>Unique slug: lower-case letters, digits and dashes.</summary>
    public required string Name { get; init; }

    /// <summary>Display name.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>Life-cycle state.</summary>
    public TenantState State { get; init; } = TenantState.Uninitialized;

    /// <summary>Host names it answers on (<c>studio.example.com</c>, <c>*.example.com</c>, optional <c>:port</c>).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>The host the others redirect to (301); null: none is primary, every host answers.</summary>
    public string? PrimaryHost { get; init; }

    /// <summary>Plan id (platform plans); null: no plan, nothing restricted.</summary>
    public string? Plan { get; init; }

    /// <summary>Owning reseller id; null: the platform owns it.</summary>
    public string? Reseller { get; init; }

    /// <summary>First path segment it answers under, without slashes; null for none.</summary>
    public string? Prefix { get; init; }

    /// <summary>Own connection string (PostgreSQL: a database of its own); null uses the platform's engine.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Enabled feature ids as the operator chose them (dependencies are added at activation).</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>Active theme id; null takes the platform default.</summary>
    public string? Theme { get; init; }

    /// <summary>Brand tokens.</summary>
    public BrandSettings Brand { get; init; } = new();

    /// <summary>Default culture.</summary>
    public string Culture { get; init; } = "en-US";

    /// <summary>IANA time zone.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>Per-module settings as a JSON object; each module binds its own section.</summary>
    public string SettingsJson { get; init; } = "{}";

    /// <summary>Recipe it was (or will be) set up with.</summary>
    public string? Recipe { get; init; }

    /// <summary>Why the tenant was disabled by the platform (e.g. a failed migration); shown to the operator.</summary>
    public string? Error { get; init; }

    /// <summary>Changes on every save; an update must name the version it read.</summary>
    public string Version { get; init; } = "";

    /// <summary>
    /// The store's revision of this save: higher is newer. Versions only tell records apart; this orders them, so
    /// an instance never goes back to an older record it happens to read after a newer one.
    /// </summary>
    public long Revision { get; init; }

    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>When it was last saved (UTC).</summary>
    public DateTime UpdatedUtc { get; init; }

    /// <summary>True for the operator's tenant.</summary>
    public bool IsDefault => Name == TenantContext.DefaultName;
}
