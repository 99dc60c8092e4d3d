namespace Studio.Platform;

/// <summary>A host name of a tenant as the domains pages show it.</summary>
/// <param name="Host">The host name (<c>studio.example.com</c>, <c>*.example.com</c>).</param>
/// <param name="Verified">True when it is on the tenant's record (requests on it reach the tenant).</param>
/// <param name="Primary">True when the tenant's other hosts redirect to it.</param>
/// <param name="Txt">The TXT record that proves the tenant controls the name; null for hosts the operator gave without one.</param>
public sealed record DomainInfo(string Host, bool Verified, bool Primary, DomainTxtRecord? Txt);

/// <summary>The DNS TXT record to create: at <see cref="Name"/>, with the value <see cref="Value"/>.</summary>
public sealed record DomainTxtRecord(string Host, string Name, string Value);

/// <summary>Outcome of a DNS check.</summary>
public enum DomainVerificationStatus
{
    /// <summary>The record was found: the host now reaches the tenant.</summary>
    Verified,
    /// <summary>No TXT record at the name (yet: DNS changes take a while to show).</summary>
    NotFound,
    /// <summary>TXT records exist at the name but none carries this tenant's token.</summary>
    WrongToken,
    /// <summary>DNS did not answer in time.</summary>
    Unreachable,
}

/// <summary>A DNS check's outcome and the record it looked for.</summary>
public sealed record DomainVerificationResult(DomainVerificationStatus Status, DomainTxtRecord Txt)
{
    public bool Succeeded => Status == DomainVerificationStatus.Verified;
}

/// <summary>
/// Custom domains of any tenant, for the operator (everything) and resellers (their own tenants only). A host is
/// added in two steps: <see cref="RequestAsync"/> checks it is free and returns the TXT record to create;
/// <see cref="VerifyAsync"/> looks the record up and only then puts the host on the tenant (live, every instance).
/// Input errors: <see cref="PlatformValidationException"/>; another reseller's tenant: <see cref="PlatformForbiddenException"/>.
/// Every change is audited.
/// </summary>
public interface IDomainAdministration
{
    Task<IReadOnlyList<DomainInfo>> ListAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default);
    Task<DomainTxtRecord> RequestAsync(PlatformActor actor, string tenant, string host, CancellationToken cancellationToken = default);
    Task<DomainVerificationResult> VerifyAsync(PlatformActor actor, string tenant, string host, CancellationToken cancellationToken = default);
    Task RemoveAsync(PlatformActor actor, string tenant, string host, CancellationToken cancellationToken = default);
    /// <summary>Marks <paramref name="host"/> primary; null clears it (every host answers).</summary>
    Task SetPrimaryAsync(PlatformActor actor, string tenant, string? host, CancellationToken cancellationToken = default);
    /// <summary>Moves a verified host to another tenant (no new verification: the platform vouches for it).</summary>
    Task MoveAsync(PlatformActor actor, string host, string fromTenant, string toTenant, CancellationToken cancellationToken = default);
}

/// <summary>
/// The current tenant's own domains (resolve it from a tenant container): the same operations as
/// <see cref="IDomainAdministration"/>, bound to the tenant of the container, so it can never reach another's
/// hosts. The acting user is taken from the current request for the audit trail.
/// </summary>
public interface ITenantDomains
{
    Task<IReadOnlyList<DomainInfo>> ListAsync(CancellationToken cancellationToken = default);
    Task<DomainTxtRecord> RequestAsync(string host, CancellationToken cancellationToken = default);
    Task<DomainVerificationResult> VerifyAsync(string host, CancellationToken cancellationToken = default);
    Task RemoveAsync(string host, CancellationToken cancellationToken = default);
    Task SetPrimaryAsync(string? host, CancellationToken cancellationToken = default);
}

/// <summary>Looks up DNS TXT records. Behind an interface so tests stand in for DNS.</summary>
public interface IDnsTxtResolver
{
    /// <summary>The TXT strings at <paramref name="name"/> (each record's strings joined); empty when there are none.</summary>
    /// <exception cref="TimeoutException">DNS did not answer in time.</exception>
    Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Where the platform looks for a host's verification record.</summary>
public static class DomainVerification
{
    /// <summary>The label in front of the host: <c>_studio-verify.shop.example.com</c>.</summary>
    public const string Label = "_studio-verify";

    /// <summary>What the TXT value starts with.</summary>
    public const string ValuePrefix = "studio-verify=";

    /// <summary>The record's name; a wildcard <c>*.example.com</c> is proved at <c>_studio-verify.example.com</c>.</summary>
    public static string RecordName(string host)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        var colon = name.LastIndexOf(':');
        if (colon > 0 && !name.StartsWith('['))
            name = name[..colon]; // DNS knows no ports
        return $"{Label}.{name}";
    }
}
