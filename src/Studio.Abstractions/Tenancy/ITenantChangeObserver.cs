namespace Studio.Tenancy;

/// <summary>
/// A change the host saved to a tenant (its features, settings, brand, theme, state…).
/// <paramref name="Before"/> and <paramref name="After"/> hold only what changed, keyed by field name.
/// </summary>
/// <param name="Action">A stable dotted code, e.g. <c>tenant.features.changed</c> or <c>tenant.brand.changed</c>.</param>
/// <param name="Tenant">The tenant's name.</param>
/// <param name="Before">The changed fields' values before the save.</param>
/// <param name="After">The changed fields' values after the save.</param>
public sealed record TenantChange(string Action, string Tenant, IReadOnlyDictionary<string, object?> Before,
    IReadOnlyDictionary<string, object?> After);

/// <summary>
/// Told by the host after it saved a change to the tenant, inside that tenant's container, so a feature (the
/// audit trail) can react without the host knowing it. Register it from a <see cref="Modules.FeatureStartup"/>.
/// The host calls the observers of the shell that ran before the change, or — when that one had none (the
/// observing feature was just enabled) — of the shell after it. A failing observer is logged; the change stands.
/// </summary>
public interface ITenantChangeObserver
{
    /// <summary>Reacts to a saved change.</summary>
    Task OnTenantChangedAsync(TenantChange change, CancellationToken cancellationToken);
}
