using System.Security.Claims;
using Studio.Audit;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Platform.Domains;

/// <summary>
/// <see cref="ITenantDomains"/> for the tenant whose container resolves it: every call is bound to
/// <see cref="TenantContext.Name"/>, so a studio owner can only ever touch their own studio's hosts. Scoped, so the
/// actor is the current request's user.
/// </summary>
internal sealed class TenantDomains(DomainAdministration domains, TenantContext tenant, IHttpContextAccessor http) : ITenantDomains
{
    public async Task<IReadOnlyList<DomainInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        await domains.ListCoreAsync(await domains.FindAsync(tenant.Name, cancellationToken), cancellationToken);

    public async Task<DomainTxtRecord> RequestAsync(string host, CancellationToken cancellationToken = default) =>
        await domains.RequestCoreAsync(await domains.FindAsync(tenant.Name, cancellationToken), host, Actor(), cancellationToken);

    public async Task<DomainVerificationResult> VerifyAsync(string host, CancellationToken cancellationToken = default) =>
        await domains.VerifyCoreAsync(await domains.FindAsync(tenant.Name, cancellationToken), host, Actor(), cancellationToken);

    public async Task RemoveAsync(string host, CancellationToken cancellationToken = default) =>
        await domains.RemoveCoreAsync(await domains.FindAsync(tenant.Name, cancellationToken), host, Actor(), cancellationToken);

    public async Task SetPrimaryAsync(string? host, CancellationToken cancellationToken = default) =>
        await domains.SetPrimaryCoreAsync(await domains.FindAsync(tenant.Name, cancellationToken), host, Actor(), cancellationToken);

    private DomainAdministration.Actor Actor()
    {
        var context = http.HttpContext;
        var user = context?.User;
        var id = user?.FindFirstValue(ClaimTypes.NameIdentifier);
        var audit = id is null ? AuditActor.System : new AuditActor(id, user!.Identity?.Name ?? id);
        return new(audit, context?.Connection.RemoteIpAddress?.ToString(), context?.Request.Headers.UserAgent.ToString(), Platform: false);
    }
}
