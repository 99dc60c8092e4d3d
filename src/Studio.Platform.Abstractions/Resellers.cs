using Studio.Tenancy;

namespace Studio.Platform;

/// <summary>A reseller: owns a set of tenants, within a quota and the plans granted to it.</summary>
public sealed record ResellerInfo
{
    /// <summary>Slug.</summary>
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>How many tenants it may own.</summary>
    public int TenantQuota { get; init; }
    /// <summary>Plan ids it may give its tenants.</summary>
    public IReadOnlyList<string> Plans { get; init; } = [];
    /// <summary>Brand its new tenants start with.</summary>
    public BrandSettings DefaultBrand { get; init; } = new();
    public string? DefaultTheme { get; init; }
    public string Version { get; init; } = "";
}

/// <summary>The platform's resellers. Writes by operators, except a reseller's own default brand and theme.</summary>
public interface IResellerDirectory
{
    Task<IReadOnlyList<ResellerInfo>> ListAsync(CancellationToken cancellationToken = default);
    Task<ResellerInfo?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<ResellerInfo> SaveAsync(PlatformActor actor, ResellerInfo reseller, string? expectedVersion, CancellationToken cancellationToken = default);
    Task DeleteAsync(PlatformActor actor, string id, CancellationToken cancellationToken = default);
}
