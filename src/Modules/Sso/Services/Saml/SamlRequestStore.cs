using System.Data.Common;
using Dapper;
using Studio.Data;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>
/// The database half of the ACS checks, shared by every instance: AuthnRequests this tenant issued
/// (<c>sso_saml_requests</c>; an InResponseTo is consumed once, by a conditional UPDATE) and assertion ids already
/// used (<c>sso_saml_replay</c>; a unique insert, kept until the assertion's NotOnOrAfter).
/// </summary>
public sealed class SamlRequestStore(ITenantDatabase database, TimeProvider clock)
{
    /// <summary>How long an issued AuthnRequest may be answered.</summary>
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Records an issued AuthnRequest for <paramref name="providerId"/>.</summary>
    public async Task RecordAsync(string requestId, string providerId, string? relayState, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sso_saml_requests (id, provider_id, relay_state, created_utc, expires_utc, consumed_utc) VALUES (@id, @provider, @relay, @created, @expires, NULL)",
            new { id = requestId, provider = providerId, relay = relayState, created = database.Dialect.UtcValue(now), expires = database.Dialect.UtcValue(now + RequestLifetime) },
            cancellationToken: cancellationToken));
        // Housekeeping: requests long gone are of no use.
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sso_saml_requests WHERE expires_utc < @old",
            new { old = database.Dialect.UtcValue(now - TimeSpan.FromDays(1)) }, cancellationToken: cancellationToken));
    }

    /// <summary>True when <paramref name="requestId"/> is a pending (unconsumed, unexpired) request of <paramref name="providerId"/>.</summary>
    public async Task<bool> IsPendingAsync(string requestId, string providerId, CancellationToken cancellationToken = default)
    {
        if (requestId.Length > 100)
            return false;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sso_saml_requests WHERE id = @id AND provider_id = @provider AND consumed_utc IS NULL AND expires_utc > @now",
            new { id = requestId, provider = providerId, now = database.Dialect.UtcValue(now) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Consumes the request <paramref name="requestId"/> of <paramref name="providerId"/>: succeeds once, only before
    /// it expires; returns its RelayState (found = false when unknown, expired, consumed or another provider's).
    /// </summary>
    public async Task<(bool Found, string? RelayState)> ConsumeAsync(string requestId, string providerId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sso_saml_requests SET consumed_utc = @now WHERE id = @id AND provider_id = @provider AND consumed_utc IS NULL AND expires_utc > @now",
            new { id = requestId, provider = providerId, now = database.Dialect.UtcValue(now) }, cancellationToken: cancellationToken));
        if (changed != 1)
            return (false, null);
        var relay = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT relay_state FROM sso_saml_requests WHERE id = @id", new { id = requestId }, cancellationToken: cancellationToken));
        return (true, relay);
    }

    /// <summary>Prefix of a LogoutRequest id in the replay table: an assertion id and a logout request id never collide.</summary>
    public const string LogoutRequestPrefix = "slo-request:";

    /// <summary>Records an IdP's LogoutRequest id as used until <paramref name="expiresUtc"/>; false when it was already (a replay).</summary>
    public Task<bool> TryUseLogoutRequestAsync(string requestId, string providerId, DateTime expiresUtc, CancellationToken cancellationToken = default) =>
        TryUseAsync(LogoutRequestPrefix + requestId, providerId, expiresUtc, cancellationToken);

    /// <summary>Records an assertion id as used until <paramref name="expiresUtc"/>; false when it was already (a replay).</summary>
    public Task<bool> TryUseAssertionAsync(string assertionId, string providerId, DateTime expiresUtc, CancellationToken cancellationToken = default) =>
        TryUseAsync(assertionId, providerId, expiresUtc, cancellationToken);

    private async Task<bool> TryUseAsync(string assertionId, string providerId, DateTime expiresUtc, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sso_saml_replay WHERE expires_utc < @now",
            new { now = database.Dialect.UtcValue(now) }, cancellationToken: cancellationToken));
        // ON CONFLICT DO NOTHING works on both engines and keeps a PostgreSQL transaction usable.
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sso_saml_replay (assertion_id, provider_id, expires_utc) VALUES (@id, @provider, @expires) ON CONFLICT (assertion_id) DO NOTHING",
            new { id = assertionId, provider = providerId, expires = database.Dialect.UtcValue(expiresUtc < now ? now.AddMinutes(5) : expiresUtc) },
            cancellationToken: cancellationToken));
        return inserted == 1;
    }
}
