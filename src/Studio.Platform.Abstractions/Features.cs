namespace Studio.Platform;

/// <summary>A feature as a tenant's feature page shows it.</summary>
public sealed record FeatureInfo
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Category { get; init; } = "";
    public IReadOnlyList<string> Dependencies { get; init; } = [];
    /// <summary>Features that depend on this one.</summary>
    public IReadOnlyList<string> Dependents { get; init; } = [];
    public bool AlwaysEnabled { get; init; }
    public bool DefaultTenantOnly { get; init; }
    /// <summary>Chosen, or pulled in by a dependency.</summary>
    public bool Enabled { get; init; }
    /// <summary>Enabled only because another enabled feature needs it.</summary>
    public bool EnabledByDependency { get; init; }
    /// <summary>False when the tenant's plan does not allow it (with its dependencies).</summary>
    public bool AllowedByPlan { get; init; } = true;
}

/// <summary>What a toggle would change, shown before it happens.</summary>
/// <param name="Enable">Features that would be enabled (asked and dependencies).</param>
/// <param name="Disable">Features that would be disabled (asked and dependents).</param>
/// <param name="Extra">Those the caller did not name; the change needs confirming when any.</param>
/// <param name="NotAllowed">Features of <paramref name="Enable"/> the plan does not allow; the change is refused when any.</param>
public sealed record FeatureChangePreview(IReadOnlyList<string> Enable, IReadOnlyList<string> Disable,
    IReadOnlyList<string> Extra, IReadOnlyList<string> NotAllowed)
{
    /// <summary>The tenant's version the preview was made from; pass it to the change as its expected version.</summary>
    public string Version { get; init; } = "";
}

/// <summary>A tenant's features as of one version of its record.</summary>
/// <param name="Features">As <see cref="IFeatureAdministration.ListAsync"/> lists them.</param>
/// <param name="Version">The record's version: a page keeps it and passes it back with a change.</param>
public sealed record TenantFeatures(IReadOnlyList<FeatureInfo> Features, string Version);

/// <summary>Per-tenant feature administration, within the tenant's plan.</summary>
public interface IFeatureAdministration
{
    Task<IReadOnlyList<FeatureInfo>> ListAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default);
    /// <summary>The features with the version of the record they were read from.</summary>
    Task<TenantFeatures> GetAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default);
    Task<FeatureChangePreview> PreviewAsync(PlatformActor actor, string tenant, IReadOnlyCollection<string> enable,
        IReadOnlyCollection<string> disable, CancellationToken cancellationToken = default);
    /// <summary>
    /// Applies the change live; refused (validation) when the plan forbids it or when extras are not confirmed.
    /// With <c>expectedVersion</c> — the tenant's version the caller's page showed (<see cref="TenantFeatures.Version"/>,
    /// <see cref="FeatureChangePreview.Version"/>) — it is refused with <see cref="PlatformConcurrencyException"/> when the
    /// tenant has changed since; null: no check.
    /// </summary>
    Task<TenantInfo> ChangeAsync(PlatformActor actor, string tenant, IReadOnlyCollection<string> enable,
        IReadOnlyCollection<string> disable, bool confirmExtra, string? expectedVersion = null, CancellationToken cancellationToken = default);
}
