using Microsoft.Extensions.Localization;
using Studio.Host.Features;
using Studio.Host.Modules;
using Studio.Host.Platform;
using Studio.Host.Tenancy;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Plans;

/// <summary>
/// <see cref="IFeatureAdministration"/> over the <see cref="FeatureManager"/>: what a tenant has and may have
/// under its plan, what a toggle would change, and the change itself (live; audited in the tenant's trail by the
/// change notifier and in the platform's trail here). A reseller only sees its own tenants.
/// </summary>
public sealed class FeatureAdministration(
    ITenantStore store,
    FeatureCatalog catalog,
    FeatureManager manager,
    ShellFactory shells,
    PlanEnforcement enforcement,
    PlanRules rules,
    PlatformAudit audit,
    IStringLocalizer<FeatureAdministration> localizer) : IFeatureAdministration
{
    public async Task<IReadOnlyList<FeatureInfo>> ListAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default) =>
        (await GetAsync(actor, tenant, cancellationToken)).Features;

    public async Task<TenantFeatures> GetAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(actor, tenant, cancellationToken);
        var plan = await enforcement.PlanOfAsync(record.Plan, cancellationToken);
        var effective = shells.EffectiveFeatures(record).ToHashSet(StringComparer.Ordinal);
        var chosen = record.Features.ToHashSet(StringComparer.Ordinal);
        var features = catalog.OrderedFeatures
            .Where(f => record.IsDefault || !f.DefaultTenantOnly)
            .Select(f => new FeatureInfo
            {
                Id = f.Id,
                Name = f.Name,
                Description = f.Description,
                Category = f.Category,
                Dependencies = f.Dependencies,
                Dependents = catalog.DirectDependents(f.Id),
                AlwaysEnabled = f.AlwaysEnabled,
                DefaultTenantOnly = f.DefaultTenantOnly,
                Enabled = effective.Contains(f.Id),
                EnabledByDependency = effective.Contains(f.Id) && !chosen.Contains(f.Id) && !f.AlwaysEnabled,
                AllowedByPlan = rules.Allows(plan, f.Id),
            })
            .OrderBy(f => f.Category, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        return new TenantFeatures(features, record.Version);
    }

    public async Task<FeatureChangePreview> PreviewAsync(PlatformActor actor, string tenant, IReadOnlyCollection<string> enable,
        IReadOnlyCollection<string> disable, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(actor, tenant, cancellationToken);
        var change = PlanChange(record, enable, disable);
        var plan = await enforcement.PlanOfAsync(record.Plan, cancellationToken);
        return new FeatureChangePreview(change.Enable, change.Disable, change.Extra, rules.NotAllowed(plan, change.Enable)) { Version = record.Version };
    }

    public async Task<TenantInfo> ChangeAsync(PlatformActor actor, string tenant, IReadOnlyCollection<string> enable,
        IReadOnlyCollection<string> disable, bool confirmExtra, string? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(actor, tenant, cancellationToken);
        FeatureChangeResult result;
        try { result = await manager.ChangeAsync(record.Name, enable, disable, confirmExtra, expectedVersion, cancellationToken); }
        catch (FeatureChangeException e) { throw new PlatformValidationException([e.Message]); }
        catch (TenantConcurrencyException) { throw new PlatformConcurrencyException(localizer["The tenant '{0}' was changed meanwhile; look at its features again.", tenant]); }
        if (result.NeedsForce)
            throw new PlatformValidationException([localizer["This change also affects {0}; confirm it to go ahead.", rules.Describe(result.Plan!.Extra)]],
                result.Plan.Extra);
        if (!result.Succeeded)
            throw new PlatformValidationException([result.Error ?? localizer["The change could not be made."]]);
        await audit.RecordAsync(actor, "platform.tenant.features.changed", record.Name,
            new { features = record.Features }, new { features = result.Tenant!.Features, enabled = result.Plan!.Enable, disabled = result.Plan.Disable }, cancellationToken);
        return Platform.TenantAdministration.ToInfo(result.Tenant!);
    }

    private FeatureChangePlan PlanChange(TenantRecord record, IReadOnlyCollection<string> enable, IReadOnlyCollection<string> disable)
    {
        try { return manager.Plan(record, enable, disable); }
        catch (FeatureChangeException e) { throw new PlatformValidationException([e.Message]); }
    }

    private async Task<TenantRecord> FindAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(tenant, cancellationToken);
        // A reseller's view of another's tenant is the same as of no tenant: it learns nothing.
        if (record is null || (!actor.IsOperator && record.Reseller != actor.ResellerId))
            throw new PlatformForbiddenException(localizer["There is no tenant '{0}'.", tenant]);
        return record;
    }
}
