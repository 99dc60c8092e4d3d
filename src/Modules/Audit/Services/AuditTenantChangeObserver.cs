using Studio.Audit;
using Studio.Tenancy;

namespace Studio.Modules.Audit.Services;

/// <summary>
/// Records the host's changes to this tenant (features, settings, brand, theme, state) in its audit trail.
/// The actor is the operator: only the platform's own admin actions change a tenant record, and there are no
/// accounts yet to name a person.
/// </summary>
public sealed class AuditTenantChangeObserver(IAuditTrail trail) : ITenantChangeObserver
{
    public async Task OnTenantChangedAsync(TenantChange change, CancellationToken cancellationToken) =>
        await trail.RecordAsync(new AuditRecord(AuditActor.Operator, change.Action, change.Tenant, change.Before, change.After),
            cancellationToken);
}
