using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Audit;
using Studio.Host.Tenancy;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Platform.Domains;

/// <summary>
/// Custom domains over the tenant records (<see cref="TenantService"/>, so a change is live on every instance)
/// and the verification tokens (<see cref="DomainVerificationStore"/>). A host reaches a tenant only once its TXT
/// record has been seen; until then it is a pending claim that blocks nobody (so nobody can squat a name by asking
/// for it first: the first to prove control wins, and overlaps are checked again at that moment).
/// </summary>
internal sealed class DomainAdministration(
    TenantService tenants,
    ITenantStore store,
    ShellHost shells,
    DomainVerificationStore claims,
    Studio.Host.Data.PlatformLock locks,
    IDnsTxtResolver dns,
    IOptions<StudioOptions> options,
    IStringLocalizer<DomainAdministration> localizer,
    ILogger<DomainAdministration> logger) : IDomainAdministration
{
    /// <summary>Who is acting, for the audit trails; <see cref="Platform"/> also records in the Default tenant's trail.</summary>
    private const string LockName = "domains";

    internal sealed record Actor(AuditActor Audit, string? Ip, string? UserAgent, bool Platform);

    public async Task<IReadOnlyList<DomainInfo>> ListAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default) =>
        await ListCoreAsync(await AuthorizeAsync(actor, tenant, cancellationToken), cancellationToken);

    public async Task<DomainTxtRecord> RequestAsync(PlatformActor actor, string tenant, string host, CancellationToken cancellationToken = default) =>
        await RequestCoreAsync(await AuthorizeAsync(actor, tenant, cancellationToken), host, From(actor), cancellationToken);

    public async Task<DomainVerificationResult> VerifyAsync(PlatformActor actor, string tenant, string host, CancellationToken cancellationToken = default) =>
        await VerifyCoreAsync(await AuthorizeAsync(actor, tenant, cancellationToken), host, From(actor), cancellationToken);

    public async Task RemoveAsync(PlatformActor actor, string tenant, string host, CancellationToken cancellationToken = default) =>
        await RemoveCoreAsync(await AuthorizeAsync(actor, tenant, cancellationToken), host, From(actor), cancellationToken);

    public async Task SetPrimaryAsync(PlatformActor actor, string tenant, string? host, CancellationToken cancellationToken = default) =>
        await SetPrimaryCoreAsync(await AuthorizeAsync(actor, tenant, cancellationToken), host, From(actor), cancellationToken);

    public async Task MoveAsync(PlatformActor actor, string host, string fromTenant, string toTenant, CancellationToken cancellationToken = default)
    {
        var from = await AuthorizeAsync(actor, fromTenant, cancellationToken);
        var to = await AuthorizeAsync(actor, toTenant, cancellationToken);
        host = DomainRules.Normalize(host);
        if (from.Name == to.Name)
            throw Invalid(localizer["The host name is already on that studio."]);
        if (!from.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            throw Invalid(localizer["'{0}' is not one of this studio's host names.", host]);
        await using var held = await locks.AcquireAsync(LockName, cancellationToken);
        await EnsureFreeInStoreAsync(to.Name, host, except: from.Name, cancellationToken);

        // Off the old tenant first (the table refuses one host on two tenants), then onto the new one; when the
        // second save fails the first is undone, so the host is never lost.
        await SaveAsync(from.Name, t => t with
        {
            Hosts = t.Hosts.Where(h => !h.Equals(host, StringComparison.OrdinalIgnoreCase)).ToList(),
            PrimaryHost = host.Equals(t.PrimaryHost, StringComparison.OrdinalIgnoreCase) ? null : t.PrimaryHost,
        }, cancellationToken);
        try
        {
            await SaveAsync(to.Name, t => t with { Hosts = [.. t.Hosts, host] }, cancellationToken);
        }
        catch
        {
            await SaveAsync(from.Name, t => t with { Hosts = [.. t.Hosts, host] }, CancellationToken.None);
            throw;
        }
        await claims.MoveAsync(host, from.Name, to.Name, cancellationToken);
        var who = From(actor);
        var details = new { Host = host, From = from.Name, To = to.Name };
        await AuditAsync(from.Name, who, "domain.moved", details, cancellationToken);
        await AuditAsync(to.Name, who, "domain.moved", details, cancellationToken);
    }

    internal async Task<IReadOnlyList<DomainInfo>> ListCoreAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        var pending = await claims.ListAsync(tenant.Name, cancellationToken);
        var byHost = pending.ToDictionary(c => c.Host, StringComparer.OrdinalIgnoreCase);
        var list = tenant.Hosts
            .Select(h => new DomainInfo(h, true, h.Equals(tenant.PrimaryHost, StringComparison.OrdinalIgnoreCase),
                byHost.TryGetValue(h, out var c) ? Txt(c) : null))
            .ToList();
        list.AddRange(pending.Where(c => !tenant.Hosts.Contains(c.Host, StringComparer.OrdinalIgnoreCase))
            .Select(c => new DomainInfo(c.Host, false, false, Txt(c))));
        return list;
    }

    internal async Task<DomainTxtRecord> RequestCoreAsync(TenantRecord tenant, string host, Actor actor, CancellationToken cancellationToken)
    {
        EnsureNotDefault(tenant);
        host = DomainRules.Normalize(host);
        if (DomainRules.Malformed(host) is { } problem)
            throw Invalid(localizer[problem, host]);
        if (tenant.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            throw Invalid(localizer["'{0}' is already one of this studio's host names.", host]);
        EnsureFree(tenant.Name, host);
        var claim = await claims.GetOrCreateAsync(tenant.Name, host, cancellationToken);
        var txt = Txt(claim);
        await AuditAsync(tenant.Name, actor, "domain.requested", new { Host = host, Record = txt.Name }, cancellationToken);
        return txt;
    }

    internal async Task<DomainVerificationResult> VerifyCoreAsync(TenantRecord tenant, string host, Actor actor, CancellationToken cancellationToken)
    {
        EnsureNotDefault(tenant);
        host = DomainRules.Normalize(host);
        // Only a claim this tenant made can be verified: another tenant's pending or verified host is "unknown" here.
        var claim = await claims.FindAsync(tenant.Name, host, cancellationToken)
            ?? throw Invalid(localizer["Add the host name '{0}' first: the page then shows the DNS record to create.", host]);
        var txt = Txt(claim);
        if (tenant.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            return new DomainVerificationResult(DomainVerificationStatus.Verified, txt);
        EnsureFree(tenant.Name, host);

        IReadOnlyList<string> values;
        try { values = await dns.ResolveTxtAsync(txt.Name, cancellationToken); }
        catch (Exception e) when (e is TimeoutException or System.Net.Sockets.SocketException or DnsClient.DnsResponseException)
        {
            logger.LogInformation(e, "DNS did not answer for {Record}", txt.Name);
            return new DomainVerificationResult(DomainVerificationStatus.Unreachable, txt);
        }
        if (values.Count == 0)
            return new DomainVerificationResult(DomainVerificationStatus.NotFound, txt);
        if (!values.Any(v => v.Trim().Equals(txt.Value, StringComparison.Ordinal)))
            return new DomainVerificationResult(DomainVerificationStatus.WrongToken, txt);

        // Under the platform-wide lock and against the store (not this instance's table, which may be a poll
        // behind): two instances verifying overlapping names for two tenants at once cannot both win.
        await using (await locks.AcquireAsync(LockName, cancellationToken))
        {
            await EnsureFreeInStoreAsync(tenant.Name, host, except: null, cancellationToken);
            await SaveAsync(tenant.Name, t => t with { Hosts = [.. t.Hosts, host] }, cancellationToken);
        }
        await claims.MarkVerifiedAsync(tenant.Name, host, cancellationToken);
        await AuditAsync(tenant.Name, actor, "domain.verified", new { Host = host }, cancellationToken);
        return new DomainVerificationResult(DomainVerificationStatus.Verified, txt);
    }

    internal async Task RemoveCoreAsync(TenantRecord tenant, string host, Actor actor, CancellationToken cancellationToken)
    {
        EnsureNotDefault(tenant);
        host = DomainRules.Normalize(host);
        var onRecord = tenant.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase);
        var claim = await claims.FindAsync(tenant.Name, host, cancellationToken);
        if (!onRecord && claim is null)
            throw Invalid(localizer["'{0}' is not one of this studio's host names.", host]);
        if (onRecord)
            await SaveAsync(tenant.Name, t => t with
            {
                Hosts = t.Hosts.Where(h => !h.Equals(host, StringComparison.OrdinalIgnoreCase)).ToList(),
                PrimaryHost = host.Equals(t.PrimaryHost, StringComparison.OrdinalIgnoreCase) ? null : t.PrimaryHost,
            }, cancellationToken);
        if (claim is not null)
            await claims.DeleteAsync(tenant.Name, host, cancellationToken);
        await AuditAsync(tenant.Name, actor, "domain.removed", new { Host = host, Verified = onRecord }, cancellationToken);
    }

    internal async Task SetPrimaryCoreAsync(TenantRecord tenant, string? host, Actor actor, CancellationToken cancellationToken)
    {
        EnsureNotDefault(tenant);
        host = string.IsNullOrWhiteSpace(host) ? null : DomainRules.Normalize(host);
        if (host is not null && !tenant.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            throw Invalid(localizer["'{0}' is not one of this studio's verified host names.", host]);
        if (host is not null && host.StartsWith("*.", StringComparison.Ordinal))
            throw Invalid(localizer["A wildcard cannot be the primary host: requests need one name to go to."]);
        var before = tenant.PrimaryHost;
        await SaveAsync(tenant.Name, t => t with { PrimaryHost = host }, cancellationToken);
        await AuditAsync(tenant.Name, actor, "domain.primary.changed", new { Before = before, After = host }, cancellationToken);
    }

    /// <summary>The tenant, when the actor may manage it.</summary>
    internal async Task<TenantRecord> FindAsync(string tenant, CancellationToken cancellationToken) =>
        await store.FindAsync(tenant, cancellationToken) ?? throw Invalid(localizer["There is no studio '{0}'.", tenant]);

    private async Task<TenantRecord> AuthorizeAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken)
    {
        var record = await store.FindAsync(tenant, cancellationToken);
        // A reseller learns nothing about tenants that are not its own, not even that they exist.
        if (!actor.IsOperator && record?.Reseller != actor.ResellerId)
            throw new PlatformForbiddenException(localizer["There is no studio '{0}'.", tenant]);
        return record ?? throw Invalid(localizer["There is no studio '{0}'.", tenant]);
    }

    private static Actor From(PlatformActor actor) =>
        new(new AuditActor(actor.UserId, actor.DisplayName), actor.Ip, actor.UserAgent, Platform: true);

    private void EnsureNotDefault(TenantRecord tenant)
    {
        // The platform's own hosts are configuration (Studio:DefaultTenantHosts): every instance, health check and
        // operator bookmark depends on them, so they are never edited from a page.
        if (tenant.IsDefault)
            throw Invalid(localizer["The platform's own host names are set in configuration (Studio:DefaultTenantHosts)."]);
    }

    private void EnsureFree(string tenant, string host)
    {
        if (options.Value.DefaultTenantHosts.Any(h => DomainRules.Overlap(TenantNames.NormalizeHost(h), host))
            || OwnerOfOverlap(shells.Table.ByName.Values, tenant, host, except: null) is not null)
            throw Invalid(localizer["The host name '{0}' is already used by another studio.", host]);
    }

    private async Task EnsureFreeInStoreAsync(string tenant, string host, string? except, CancellationToken cancellationToken)
    {
        if (OwnerOfOverlap(await store.LoadAllAsync(cancellationToken), tenant, host, except) is not null)
            throw Invalid(localizer["The host name '{0}' is already used by another studio.", host]);
    }

    /// <summary>Another tenant (than <paramref name="tenant"/> and <paramref name="except"/>) holding a host that overlaps.</summary>
    private static string? OwnerOfOverlap(IEnumerable<TenantRecord> all, string tenant, string host, string? except) =>
        all.Where(t => t.Name != tenant && t.Name != except && !t.IsDefault)
            .FirstOrDefault(t => t.Hosts.Any(h => DomainRules.Overlap(h, host)))?.Name;

    private async Task SaveAsync(string tenant, Func<TenantRecord, TenantRecord> change, CancellationToken cancellationToken)
    {
        try { await tenants.UpdateAsync(tenant, null, change, cancellationToken); }
        catch (TenantValidationException e) { throw new PlatformValidationException(e.Errors); }
        catch (TenantConcurrencyException) { throw new PlatformConcurrencyException(localizer["The tenant was changed by someone else. Reload it and apply your change again."]); }
    }

    private static DomainTxtRecord Txt(DomainClaim claim) =>
        new(claim.Host, DomainVerification.RecordName(claim.Host), DomainVerification.ValuePrefix + claim.Token);

    private static PlatformValidationException Invalid(LocalizedString message) => new([message.Value]);

    /// <summary>
    /// Records the change in the tenant's own trail (its owners see who changed their domains) and, for platform
    /// actors, in the Default tenant's trail too — where each has the Audit feature enabled.
    /// </summary>
    private async Task AuditAsync(string tenant, Actor actor, string action, object details, CancellationToken cancellationToken)
    {
        var record = new AuditRecord(actor.Audit, action, tenant, null, details, actor.Ip, actor.UserAgent);
        await RecordAsync(tenant, record, cancellationToken);
        if (actor.Platform && tenant != TenantContext.DefaultName)
            await RecordAsync(TenantContext.DefaultName, record, cancellationToken);
    }

    private async Task RecordAsync(string tenant, AuditRecord record, CancellationToken cancellationToken)
    {
        if (!shells.Table.ByName.TryGetValue(tenant, out var current) || current.State != TenantState.Running)
            return;
        var shell = await shells.AcquireAsync(current, cancellationToken);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<IAuditTrail>() is { } trail)
                await trail.RecordAsync(record, cancellationToken);
        }
        finally { shell.Leave(); }
    }
}
