using Microsoft.Extensions.Localization;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Plans;
using Studio.Host.Tenancy;

namespace Studio.Host.Features;

/// <summary>What a feature change would do, computed before anything is saved.</summary>
/// <param name="Enable">Features that would be switched on (requested plus dependencies).</param>
/// <param name="Disable">Features that would be switched off (requested plus dependents).</param>
/// <param name="Extra">Features the caller did not name that would change too.</param>
public sealed record FeatureChangePlan(IReadOnlyList<string> Enable, IReadOnlyList<string> Disable, IReadOnlyList<string> Extra);

/// <summary>Outcome of a feature change.</summary>
public sealed record FeatureChangeResult(bool Succeeded, FeatureChangePlan? Plan, string? Error, TenantRecord? Tenant)
{
    /// <summary>True when the change was refused because it would change <see cref="FeatureChangePlan.Extra"/>.</summary>
    public bool NeedsForce => !Succeeded && Error is null && Plan is { Extra.Count: > 0 };
}

/// <summary>
/// Enables and disables features of a tenant. Enabling pulls in dependencies and disabling takes dependents
/// along; unless forced, a change that would touch features the caller did not name is refused with their list.
/// Migrations of newly enabled features run before the change is saved; the change then applies live.
/// </summary>
public sealed class FeatureManager(
    FeatureCatalog catalog,
    ShellFactory shellFactory,
    ITenantStore store,
    StudioDatabase database,
    MigrationRunner migrations,
    TenantChangeNotifier notifier,
    PlanEnforcement plans,
    PlanRules rules,
    IStringLocalizer<FeatureManager> localizer)
{
    /// <summary>Computes the effect of a change without applying it.</summary>
    /// <exception cref="FeatureChangeException">An id is unknown or not allowed on this tenant.</exception>
    public FeatureChangePlan Plan(TenantRecord tenant, IReadOnlyCollection<string> enable, IReadOnlyCollection<string> disable)
    {
        foreach (var id in enable.Concat(disable).Where(id => catalog.Find(id) is null))
            throw new FeatureChangeException(localizer["There is no feature '{0}'.", id]);

        var current = shellFactory.EffectiveFeatures(tenant).ToHashSet(StringComparer.Ordinal);
        var toEnable = catalog.WithDependencies(enable).Where(id => !current.Contains(id)).ToList();
        var toDisable = catalog.WithDependents(disable).Where(current.Contains).ToList();

        foreach (var id in toEnable.Where(id => catalog.Find(id)!.DefaultTenantOnly && !tenant.IsDefault))
            throw new FeatureChangeException(localizer["The feature '{0}' is only available to the platform operator.", id]);
        foreach (var id in toDisable.Where(id => catalog.Find(id)!.AlwaysEnabled))
            throw new FeatureChangeException(localizer["The feature '{0}' is always enabled and cannot be disabled.", id]);
        var clash = toEnable.Intersect(toDisable).ToList();
        if (clash.Count > 0)
            throw new FeatureChangeException(localizer["The change both enables and disables: {0}.", rules.Describe(clash)]);

        var extra = toEnable.Where(id => !enable.Contains(id)).Concat(toDisable.Where(id => !disable.Contains(id))).ToList();
        return new FeatureChangePlan(toEnable, toDisable, extra);
    }

    /// <summary>
    /// Applies a change to a tenant's features. With <c>expectedVersion</c> — the tenant's version the caller decided
    /// on (a page's hidden field) — a change over a newer record is refused, so that a toggle from an out-of-date page
    /// never lands on top of a change it did not show; null: no check.
    /// </summary>
    /// <exception cref="FeatureChangeException">The change is impossible, or the tenant's plan does not allow what it enables.</exception>
    /// <exception cref="TenantConcurrencyException">The tenant changed since <paramref name="expectedVersion"/>.</exception>
    public async Task<FeatureChangeResult> ChangeAsync(string tenantName, IReadOnlyCollection<string> enable,
        IReadOnlyCollection<string> disable, bool force, string? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var tenant = await store.FindAsync(tenantName, cancellationToken)
            ?? throw new FeatureChangeException(localizer["There is no tenant '{0}'.", tenantName]);
        if (expectedVersion is not null && expectedVersion != tenant.Version)
            throw new TenantConcurrencyException(tenant.Name);
        var plan = Plan(tenant, enable, disable);
        // The plan is asked here, where every path (pages, recipes, the API) comes through; nothing is saved.
        if (await plans.RefusalAsync(tenant.Plan, plan.Enable, cancellationToken) is { } refusal)
            throw new FeatureChangeException(refusal);
        if (plan.Extra.Count > 0 && !force)
            return new FeatureChangeResult(false, plan, null, tenant);

        var features = shellFactory.EffectiveFeatures(tenant).Concat(plan.Enable).Except(plan.Disable).ToList();
        var updated = tenant with { Features = catalog.Order(features) };
        if (plan.Enable.Count > 0 && tenant.State == Studio.Tenancy.TenantState.Running)
        {
            try
            {
                var tenantDatabase = database.ForTenant(tenant);
                await database.EnsureCreatedAsync(tenantDatabase, cancellationToken);
                await migrations.MigrateAsync(tenantDatabase, shellFactory.EffectiveFeatures(updated), cancellationToken);
            }
            catch (MigrationException e)
            {
                // Nothing is saved: the tenant keeps running on its previous features.
                return new FeatureChangeResult(false, plan,
                    localizer["Migration {0} of feature '{1}' failed: {2}", e.Version, e.FeatureId, e.InnerException?.Message ?? ""], tenant);
            }
        }

        var saved = await notifier.SaveAsync(tenant, updated, cancellationToken);
        return new FeatureChangeResult(true, plan, null, saved);
    }
}

/// <summary>A feature change that cannot be made; the message says why.</summary>
public sealed class FeatureChangeException(string message) : Exception(message);
