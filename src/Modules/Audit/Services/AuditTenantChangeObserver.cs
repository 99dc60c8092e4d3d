using Microsoft.AspNetCore.Http;
using Studio.Audit;
using Studio.Tenancy;

namespace Studio.Modules.Audit.Services;

/// <summary>
/// Records the host's changes to this tenant (features, settings, brand, theme, state) in its audit trail, by
/// whoever made them: the signed-in user of the request (a studio admin, or a platform operator acting from the
/// Default tenant), the operator when a request has no account, or the platform itself outside any request.
/// </summary>
public sealed class AuditTenantChangeObserver(IAuditTrail trail, IHttpContextAccessor accessor) : ITenantChangeObserver
{
    public async Task OnTenantChangedAsync(TenantChange change, CancellationToken cancellationToken)
    {
        var http = accessor.HttpContext;
        var actor = http is null ? AuditActor.System : AuditActor.FromPrincipal(http.User, AuditActor.Operator);
        await trail.RecordAsync(new AuditRecord(actor, change.Action, change.Tenant, change.Before, change.After,
            http?.Connection.RemoteIpAddress?.ToString(), http?.Request.Headers.UserAgent.ToString()), cancellationToken);
    }
}
