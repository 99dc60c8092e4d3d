using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Studio.Data;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>One of the tenant's SP key pairs: its certificate (public) and status (active | next | retired).</summary>
public sealed record SpKey(long Id, string Status, string CertificatePem, DateTime NotAfterUtc, DateTime CreatedUtc);

/// <summary>
/// The tenant's SAML SP key pairs (<c>sso_sp_keys</c>): a self-signed RSA-3072 certificate made on first use, the
/// private key stored only encrypted with <see cref="ISecretProtector"/>. Rollover: <see cref="CreateNextAsync"/>
/// adds a "next" key that the SP metadata publishes alongside the active one (IdPs learn it before it is used);
/// <see cref="PromoteNextAsync"/> makes it active and retires the old one. The private key never leaves this class
/// except as an <see cref="X509Certificate2"/> to sign or decrypt with.
/// </summary>
public sealed class SpKeyStore(ITenantDatabase database, ISecretProtector secrets, TenantContext tenant, TimeProvider clock)
{
    public const string Active = "active", Next = "next", Retired = "retired";

    /// <summary>The active and next keys (the ones the metadata publishes), the active first; makes the active one if none.</summary>
    public async Task<IReadOnlyList<SpKey>> PublishedAsync(CancellationToken cancellationToken = default)
    {
        await EnsureActiveAsync(cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, "status IN ('active','next')", cancellationToken);
    }

    /// <summary>The active key with its private key (signing AuthnRequests and logout messages).</summary>
    public async Task<X509Certificate2> ActiveCertificateAsync(CancellationToken cancellationToken = default)
    {
        var id = await EnsureActiveAsync(cancellationToken);
        return await LoadPrivateAsync(id, cancellationToken);
    }

    /// <summary>Active and next keys with private keys (EncryptedAssertion may use either during a rollover).</summary>
    public async Task<IReadOnlyList<X509Certificate2>> DecryptionCertificatesAsync(CancellationToken cancellationToken = default)
    {
        var keys = await PublishedAsync(cancellationToken);
        var result = new List<X509Certificate2>();
        foreach (var key in keys)
            result.Add(await LoadPrivateAsync(key.Id, cancellationToken));
        return result;
    }

    /// <summary>Makes the "next" key (published, not yet used), unless one exists.</summary>
    public async Task<SpKey> CreateNextAsync(CancellationToken cancellationToken = default)
    {
        await EnsureActiveAsync(cancellationToken);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var existing = await ReadAsync(connection, "status = 'next'", cancellationToken);
        if (existing.Count > 0)
            return existing[0];
        await InsertIfAbsentAsync(connection, Next, cancellationToken);
        return (await ReadAsync(connection, "status = 'next'", cancellationToken))[0];
    }

    /// <summary>The next key becomes active, the active one retired (one transaction). False when there is no next key.</summary>
    public async Task<bool> PromoteNextAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM sso_sp_keys WHERE status = 'next' AND use = 'signing'", transaction: transaction, cancellationToken: cancellationToken));
        if (next is null)
            return false;
        await connection.ExecuteAsync(new CommandDefinition("UPDATE sso_sp_keys SET status = 'retired' WHERE status = 'active'",
            transaction: transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("UPDATE sso_sp_keys SET status = 'active' WHERE id = @next",
            new { next }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<long> EnsureActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (await ActiveIdAsync(connection, cancellationToken) is { } id)
            return id;
        // Any number of requests and instances may get here at once: the database keeps one active key (a partial
        // unique index, SsoSpKeyMigration), every other insert does nothing, and everyone reads the one that won.
        await InsertIfAbsentAsync(connection, Active, cancellationToken);
        return await ActiveIdAsync(connection, cancellationToken)
            ?? throw new InvalidOperationException("The tenant's SAML SP key could not be created.");
    }

    private static Task<long?> ActiveIdAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM sso_sp_keys WHERE status = 'active' AND use = 'signing' ORDER BY id LIMIT 1", cancellationToken: cancellationToken));

    /// <summary>Adds a key with <paramref name="status"/> unless the tenant has one with that status already (one statement, no race).</summary>
    private async Task InsertIfAbsentAsync(DbConnection connection, string status, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        using var rsa = RSA.Create(3072);
        var subject = new X500DistinguishedName($"CN=Studio SAML SP {tenant.Name}");
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        var notAfter = now.AddYears(5);
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), notAfter);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sso_sp_keys (use, certificate_pem, private_key_protected, status, not_after, created_utc) " +
            "VALUES ('signing', @pem, @key, @status, @notAfter, @created) ON CONFLICT DO NOTHING",
            new
            {
                pem = certificate.ExportCertificatePem(), key = secrets.Protect(rsa.ExportPkcs8PrivateKeyPem()), status,
                notAfter = database.Dialect.UtcValue(DateTime.SpecifyKind(certificate.NotAfter.ToUniversalTime(), DateTimeKind.Utc)),
                created = database.Dialect.UtcValue(now),
            }, cancellationToken: cancellationToken));
    }

    private async Task<X509Certificate2> LoadPrivateAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(string Pem, string Key)>(new CommandDefinition(
            "SELECT certificate_pem, private_key_protected FROM sso_sp_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        using var certificate = X509Certificate2.CreateFromPem(row.Pem);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(secrets.Unprotect(row.Key));
        return certificate.CopyWithPrivateKey(rsa);
    }

    private static async Task<IReadOnlyList<SpKey>> ReadAsync(DbConnection connection, string where, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(long Id, string Status, string Pem, object NotAfter, object Created)>(new CommandDefinition(
            $"SELECT id, status, certificate_pem, not_after, created_utc FROM sso_sp_keys WHERE use = 'signing' AND {where} ORDER BY CASE status WHEN 'active' THEN 0 ELSE 1 END, id",
            cancellationToken: cancellationToken));
        return rows.Select(r => new SpKey(r.Id, r.Status, r.Pem, StoredUtc.Read(r.NotAfter), StoredUtc.Read(r.Created))).ToList();
    }
}
