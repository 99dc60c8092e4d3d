using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Studio.Host.Security.KeyRings;
using Studio.Data;
using Studio.Host.Data;
using Studio.Host.Security;

namespace Studio.Host.Tenancy;

/// <summary>
/// <see cref="ITenantStore"/> over the platform database. Each record is one row: the searchable columns plus the
/// whole record as JSON. A monotonically increasing <c>revision</c> lets other instances fetch only what changed.
/// A tenant's own connection string is stored encrypted with the platform <see cref="MasterKey"/> (it holds a
/// database password) and decrypted when read; rows written before that are encrypted on start-up
/// (<see cref="ProtectPlaintextSecretsAsync"/>).
/// </summary>
public sealed class SqlTenantStore(StudioDatabase database, TimeProvider clock, MasterKey masterKey) : ITenantStore
{
    /// <summary>Purpose under which connection strings are encrypted with the master key.</summary>
    internal const string ConnectionStringPurpose = "Studio.Platform.ConnectionString.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<IReadOnlyList<TenantRecord>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, version, data, revision, CAST(removed AS INTEGER) AS removedflag FROM tenants WHERE removed = @no", new { no = false }, cancellationToken: cancellationToken));
        return rows.Select(ToRecord).ToList();
    }

    public async Task<TenantRecord?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT name, version, data, revision, CAST(removed AS INTEGER) AS removedflag FROM tenants WHERE name = @name AND removed = @no",
            new { name, no = false }, cancellationToken: cancellationToken));
        return row is null ? null : ToRecord(row);
    }

    public async Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var saved = tenant with { Version = NewVersion(), CreatedUtc = now, UpdatedUtc = now };
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "SELECT removed FROM tenants WHERE name = @name", new { name = tenant.Name }, transaction, cancellationToken: cancellationToken));
        if (existing == false)
            throw new TenantConflictException($"A tenant named '{tenant.Name}' already exists.");
        var revision = await NextRevisionAsync(connection, transaction, cancellationToken);
        saved = saved with { Revision = revision };
        var sql = existing is null
            ? "INSERT INTO tenants (name, version, state, revision, removed, data, updated_utc) VALUES (@name, @version, @state, @revision, @no, @data, @updated)"
            : "UPDATE tenants SET version = @version, state = @state, revision = @revision, removed = @no, data = @data, updated_utc = @updated WHERE name = @name";
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, Parameters(saved, revision), transaction, cancellationToken: cancellationToken));
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
        {
            // PostgreSQL (read committed): another instance inserted the same name after our check above.
            throw new TenantConflictException($"A tenant named '{tenant.Name}' already exists.");
        }
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    public async Task<TenantRecord> UpdateAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        var saved = tenant with { Version = NewVersion(), UpdatedUtc = clock.GetUtcNow().UtcDateTime };
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revision = await NextRevisionAsync(connection, transaction, cancellationToken);
        saved = saved with { Revision = revision };
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET version = @version, state = @state, revision = @revision, data = @data, updated_utc = @updated " +
            "WHERE name = @name AND version = @expected AND removed = @no",
            new DynamicParameters(Parameters(saved, revision)).With("expected", tenant.Version), transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            throw new TenantConcurrencyException(tenant.Name);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    public async Task DeleteAsync(TenantRecord tenant, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revision = await NextRevisionAsync(connection, transaction, cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE tenants SET removed = @yes, revision = @revision, version = @version, data = @empty WHERE name = @name AND version = @expected AND removed = @no",
            new { yes = true, no = false, revision, version = NewVersion(), empty = "{}", name = tenant.Name, expected = tenant.Version },
            transaction, cancellationToken: cancellationToken));
        if (changed == 0)
            throw new TenantConcurrencyException(tenant.Name);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<TenantChanges> ChangesSinceAsync(long revision, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, version, data, revision, CAST(removed AS INTEGER) AS removedflag FROM tenants WHERE revision > @revision",
            new { revision }, cancellationToken: cancellationToken))).ToList();
        var max = rows.Count == 0 ? revision : Math.Max(revision, rows.Max(r => r.Revision));
        return new TenantChanges(
            rows.Where(r => !r.Removed).Select(ToRecord).ToList(),
            rows.Where(r => r.Removed).Select(r => r.Name).ToList(),
            max);
    }

    private async Task<long> NextRevisionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // SQLite: the write transaction (BEGIN IMMEDIATE) serialises writers, so MAX + 1 cannot be taken twice.
        // PostgreSQL: a sequence alone hands out numbers in call order, not commit order — a save with revision 10
        // could commit after one with 11 had been read, and other instances (reading "revision > 11") would never
        // see it. A transaction-level lock makes writers take revisions and commit one after the other.
        if (database.Dialect == SqlDialect.Postgres)
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('studio_tenants_revision'))",
                transaction: transaction, cancellationToken: cancellationToken));
        var sql = database.Dialect == SqlDialect.Postgres
            ? "SELECT nextval('tenants_revision_seq')"
            : "SELECT COALESCE(MAX(revision), 0) + 1 FROM tenants";
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
    }

    private object Parameters(TenantRecord tenant, long revision) => new
    {
        name = tenant.Name,
        version = tenant.Version,
        state = tenant.State.ToString(),
        revision,
        no = false,
        data = JsonSerializer.Serialize(tenant.ConnectionString is { } own && !MasterKey.IsProtected(own)
            ? tenant with { ConnectionString = masterKey.ProtectString(ConnectionStringPurpose, own) }
            : tenant, Json),
        updated = database.Dialect.UtcValue(tenant.UpdatedUtc),
    };

    /// <summary>
    /// Encrypts connection strings stored in clear by earlier versions, keeping each row's version (the record
    /// means the same). Run at start-up; safe to run on several instances at once.
    /// </summary>
    /// <returns>The tenants whose row was rewritten.</returns>
    public async Task<IReadOnlyList<string>> ProtectPlaintextSecretsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, version, data, revision, CAST(removed AS INTEGER) AS removedflag FROM tenants WHERE removed = @no", new { no = false }, cancellationToken: cancellationToken));
        var done = new List<string>();
        foreach (var row in rows)
        {
            var stored = JsonSerializer.Deserialize<TenantRecord>(row.Data, Json);
            if (stored?.ConnectionString is not { } plain || MasterKey.IsProtected(plain))
                continue;
            var data = JsonSerializer.Serialize(stored with { ConnectionString = masterKey.ProtectString(ConnectionStringPurpose, plain) }, Json);
            // Version-checked: a concurrent save wrote the encrypted form already.
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE tenants SET data = @data WHERE name = @name AND version = @version AND removed = @no",
                new { data, name = row.Name, version = row.Version, no = false }, cancellationToken: cancellationToken));
            if (changed > 0)
                done.Add(row.Name);
        }
        return done;
    }

    private TenantRecord ToRecord(Row row)
    {
        var record = JsonSerializer.Deserialize<TenantRecord>(row.Data, Json)
            ?? throw new InvalidDataException($"Tenant '{row.Name}' has an unreadable record.");
        if (MasterKey.IsProtected(record.ConnectionString))
        {
            try { record = record with { ConnectionString = masterKey.UnprotectString(ConnectionStringPurpose, record.ConnectionString!) }; }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new MasterKeyMismatchException(row.Name, $"its connection string: {e.Message}");
            }
        }
        return record with
        {
            Version = row.Version,
            Revision = row.Revision,
            CreatedUtc = DateTime.SpecifyKind(record.CreatedUtc, DateTimeKind.Utc),
            UpdatedUtc = DateTime.SpecifyKind(record.UpdatedUtc, DateTimeKind.Utc),
        };
    }

    private static string NewVersion() => Guid.NewGuid().ToString("N");

    private sealed class Row
    {
        public string Name { get; set; } = "";
        public string Version { get; set; } = "";
        public string Data { get; set; } = "{}";
        public long Revision { get; set; }
        public long RemovedFlag { get; set; }
        public bool Removed => RemovedFlag != 0;
    }
}

internal static class DynamicParametersExtensions
{
    public static DynamicParameters With(this DynamicParameters parameters, string name, object value)
    {
        parameters.Add(name, value);
        return parameters;
    }
}
