namespace Studio.Audit;

/// <summary>
/// Who did something: a signed-in user (account id and name, see <see cref="FromPrincipal"/>), someone anonymous,
/// the platform's own work (<see cref="System"/>) or the platform operator acting without a named account.
/// </summary>
public sealed record AuditActor(string Id, string Name)
{
    /// <summary>A request without a signed-in user.</summary>
    public static AuditActor Anonymous { get; } = new("anonymous", "Anonymous");

    /// <summary>The signed-in user of <paramref name="principal"/> (its name-identifier claim), or <paramref name="otherwise"/>.</summary>
    public static AuditActor FromPrincipal(global::System.Security.Claims.ClaimsPrincipal? principal, AuditActor otherwise)
    {
        var id = principal?.FindFirst(global::System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        return id is null ? otherwise : new AuditActor(id, principal!.Identity?.Name ?? id);
    }

    /// <summary>The platform itself (jobs, start-up work).</summary>
    public static AuditActor System { get; } = new("system", "System");

    /// <summary>The platform operator acting through the host's own admin actions.</summary>
    public static AuditActor Operator { get; } = new("operator", "Operator");
}

/// <summary>
/// One thing to record. <paramref name="Before"/> and <paramref name="After"/> are serialised to JSON with secrets
/// masked (password, secret, token, key, connection string) before they are stored.
/// </summary>
/// <param name="Actor">Who did it.</param>
/// <param name="Action">A stable dotted code, e.g. <c>tenant.features.changed</c>.</param>
/// <param name="Target">What it was done to (a tenant name, a user id…), or null.</param>
/// <param name="Before">The state before the change, or null.</param>
/// <param name="After">The state after the change, or null.</param>
/// <param name="Ip">Client IP address, when the action came from a request.</param>
/// <param name="UserAgent">Client user agent, when the action came from a request.</param>
public sealed record AuditRecord(AuditActor Actor, string Action, string? Target = null, object? Before = null,
    object? After = null, string? Ip = null, string? UserAgent = null);

/// <summary>
/// The current tenant's append-only audit trail. Resolve it from a tenant container (it exists only where the
/// "Studio.Audit" feature is enabled); modules depend on this contract, never on the Audit module itself.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Appends an entry to the tenant's hash chain and returns its id.</summary>
    Task<long> RecordAsync(AuditRecord record, CancellationToken cancellationToken = default);
}
