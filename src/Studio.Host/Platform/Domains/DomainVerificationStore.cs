using System.Security.Cryptography;
using Dapper;
using Studio.Host.Data;

namespace Studio.Host.Platform.Domains;

/// <summary>A tenant's claim on a host: the token its TXT record must carry, and whether it was proved.</summary>
internal sealed record DomainClaim(string Tenant, string Host, string Token, bool Verified);

/// <summary>The <c>domain_verifications</c> table of the platform store (<see cref="PlatformDomainsMigration"/>).</summary>
internal sealed class DomainVerificationStore(StudioDatabase database, TimeProvider clock)
{
    public async Task<IReadOnlyList<DomainClaim>> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT tenant, host, token, CASE WHEN verified_utc IS NULL THEN 0 ELSE 1 END AS verified FROM domain_verifications WHERE tenant = @tenant ORDER BY host",
            new { tenant }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToClaim()).ToList();
    }

    public async Task<DomainClaim?> FindAsync(string tenant, string host, CancellationToken cancellationToken) =>
        (await ListAsync(tenant, cancellationToken)).FirstOrDefault(c => c.Host == host);

    /// <summary>The tenant's claim on the host, made with a fresh random token when there is none.</summary>
    public async Task<DomainClaim> GetOrCreateAsync(string tenant, string host, CancellationToken cancellationToken)
    {
        if (await FindAsync(tenant, host, cancellationToken) is { } existing)
            return existing;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO domain_verifications (tenant, host, token, created_utc) VALUES (@tenant, @host, @token, @now)",
                new { tenant, host, token, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
        }
        catch (System.Data.Common.DbException)
        {
            // Asked twice at once: the first insert's token stands (rethrown when there is none).
            if (await FindAsync(tenant, host, cancellationToken) is { } first)
                return first;
            throw;
        }
        return (await FindAsync(tenant, host, cancellationToken))!;
    }

    public async Task MarkVerifiedAsync(string tenant, string host, CancellationToken cancellationToken)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE domain_verifications SET verified_utc = @now WHERE tenant = @tenant AND host = @host",
            new { tenant, host, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(string tenant, string host, CancellationToken cancellationToken)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM domain_verifications WHERE tenant = @tenant AND host = @host", new { tenant, host }, cancellationToken: cancellationToken));
    }

    /// <summary>Hands a host's claim to another tenant (a move), replacing any claim that tenant had.</summary>
    public async Task MoveAsync(string host, string from, string to, CancellationToken cancellationToken)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM domain_verifications WHERE tenant = @to AND host = @host", new { to, host }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE domain_verifications SET tenant = @to WHERE tenant = @from AND host = @host", new { from, to, host }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class Row
    {
        public string Tenant { get; set; } = "";
        public string Host { get; set; } = "";
        public string Token { get; set; } = "";
        public long Verified { get; set; }
        public DomainClaim ToClaim() => new(Tenant, Host, Token, Verified != 0);
    }
}
