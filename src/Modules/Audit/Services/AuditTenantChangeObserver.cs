using Studio.Audit;
using Studio.Tenancy;

namespace Studio.Modules.Audit.Services;

/// <summary>
/// Records the host's changes to this tenant (features, settings, brand, theme, state) in its audit trail.
/// The actor is the one the change names (the studio owner on its settings page), else the platform operator.
/// </summary>
public sealed class AuditTenantChangeObserver(IAuditTrail trail) : ITenantChangeObserver
{
    public async Task OnTenantChangedAsync(TenantChange change, CancellationToken cancellationToken) =>
        await trail.RecordAsync(new AuditRecord(
            change.Actor is { } actor ? new AuditActor(actor.Id, actor.Name) : AuditActor.Operator,
            change.Action, change.Tenant, change.Before, change.After, change.Actor?.Ip, change.Actor?.UserAgent),
            cancellationToken);
}
