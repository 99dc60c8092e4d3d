using System.Data.Common;
using Studio.Data;
using Studio.Host.Modules;

namespace Studio.Host.Data;

/// <summary>
/// Applies the migrations of a set of features to one tenant database. Everything runs in one transaction under
/// a database lock (PostgreSQL: a transaction-level advisory lock per schema; SQLite: <c>BEGIN IMMEDIATE</c>), so
/// two host instances starting together apply each migration once, and a failure leaves the schema unchanged.
/// Applied migrations are recorded per tenant in <c>studio_migrations</c>.
/// </summary>
public sealed class MigrationRunner(FeatureComponents components, ILogger<MigrationRunner> logger)
{
    /// <summary>Name of the table recording applied migrations in each tenant database.</summary>
    public const string HistoryTable = "studio_migrations";

    /// <summary>Applies what is missing for <paramref name="featureIds"/> (in the order given).</summary>
    /// <returns>The migrations applied now, as <c>feature@version</c>.</returns>
    /// <exception cref="MigrationException">A migration failed; nothing of this run was kept.</exception>
    /// <remarks>A transient database error (see <see cref="TransientDatabaseErrors"/>) is thrown as it is: trying again later may succeed.</remarks>
    public Task<IReadOnlyList<string>> MigrateAsync(ITenantDatabase database, IEnumerable<string> featureIds, CancellationToken cancellationToken)
    {
        var pending = featureIds
            .SelectMany(id => components.Migrations.Where(m => m.FeatureId == id).OrderBy(m => m.Version))
            .Select(m => (m.FeatureId, m.Version, Migration: (DataMigration)Activator.CreateInstance(m.Type)!))
            .ToList();
        return ApplyAsync(database, pending, cancellationToken);
    }

    /// <summary>
    /// What activation runs: the host's own per-tenant migrations (the Data Protection key table, the event outbox), then those of
    /// <paramref name="featureIds"/> — in one transaction.
    /// </summary>
    internal Task<IReadOnlyList<string>> MigrateTenantAsync(ITenantDatabase database, IEnumerable<string> featureIds, CancellationToken cancellationToken)
    {
        var pending = HostMigrations()
            .Concat(featureIds.SelectMany(id => components.Migrations.Where(m => m.FeatureId == id).OrderBy(m => m.Version))
                .Select(m => (m.FeatureId, m.Version, Migration: (DataMigration)Activator.CreateInstance(m.Type)!)))
            .ToList();
        return ApplyAsync(database, pending, cancellationToken);
    }

    /// <summary>Migrations the host applies to every tenant database, whatever its features.</summary>
    internal static IEnumerable<(string FeatureId, int Version, DataMigration Migration)> HostMigrations() =>
        [
            (Security.KeyRings.DataProtectionKeysMigration.FeatureId, 1, new Security.KeyRings.DataProtectionKeysMigration()),
            // The event outbox (Studio.Events.IEventOutbox) and its per-handler delivery tracking.
            (Events.EventOutboxMigration.FeatureId, 1, new Events.EventOutboxMigration()),
        ];

    /// <summary>Applies explicit migrations (the platform store's own).</summary>
    internal async Task<IReadOnlyList<string>> ApplyAsync(ITenantDatabase database,
        IReadOnlyList<(string FeatureId, int Version, DataMigration Migration)> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, database, cancellationToken);
        await ExecuteAsync(connection, transaction, database.Dialect == SqlDialect.Postgres
            ? $"CREATE TABLE IF NOT EXISTS {HistoryTable} (feature_id VARCHAR(200) NOT NULL, version INTEGER NOT NULL, applied_utc TIMESTAMPTZ NOT NULL, PRIMARY KEY (feature_id, version))"
            : $"CREATE TABLE IF NOT EXISTS {HistoryTable} (feature_id TEXT NOT NULL, version INTEGER NOT NULL, applied_utc TEXT NOT NULL, PRIMARY KEY (feature_id, version))",
            cancellationToken);

        var applied = await AppliedAsync(connection, transaction, cancellationToken);
        var done = new List<string>();
        foreach (var (featureId, version, migration) in migrations)
        {
            if (applied.Contains((featureId, version)))
                continue;
            var builder = new MigrationBuilder(database.Dialect);
            try
            {
                migration.Up(builder);
                foreach (var statement in builder.Statements)
                    await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && !TransientDatabaseErrors.IsTransient(e))
            {
                // Whatever a migration throws (bad SQL, an unsupported column type, a bug in its Up) is a fault of
                // this version that retrying will not fix: the tenant is disabled with it. A database that cannot
                // answer now (busy, connection lost) is not: that escapes as it is, the transaction is rolled back,
                // and the next request tries again.
                throw new MigrationException(featureId, version, e);
            }
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = $"INSERT INTO {HistoryTable} (feature_id, version, applied_utc) VALUES (@f, @v, @t)";
                AddParameter(record, "@f", featureId);
                AddParameter(record, "@v", version);
                AddParameter(record, "@t", database.Dialect.UtcValue(DateTime.UtcNow));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            applied.Add((featureId, version));
            done.Add($"{featureId}@{version}");
        }
        await transaction.CommitAsync(cancellationToken);
        if (done.Count > 0)
            logger.LogInformation("Applied migrations {Migrations}", string.Join(", ", done));
        return done;
    }

    /// <summary>Migrations of <paramref name="featureIds"/> not yet recorded in the database.</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(ITenantDatabase database, IEnumerable<string> featureIds, CancellationToken cancellationToken)
    {
        var wanted = featureIds.SelectMany(id => components.Migrations.Where(m => m.FeatureId == id)).ToList();
        if (wanted.Count == 0)
            return [];
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        HashSet<(string, int)> applied;
        try { applied = await AppliedAsync(connection, null, cancellationToken); }
        catch (DbException) { applied = []; } // no history table yet: everything is pending
        return wanted.Where(m => !applied.Contains((m.FeatureId, m.Version))).Select(m => $"{m.FeatureId}@{m.Version}").ToList();
    }

    /// <summary>Platform-store migrations not yet applied (readiness).</summary>
    internal async Task<IReadOnlyList<string>> PendingPlatformAsync(ITenantDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var applied = await AppliedAsync(connection, null, cancellationToken);
        return PlatformMigrations().Where(m => !applied.Contains((m.FeatureId, m.Version))).Select(m => $"{m.FeatureId}@{m.Version}").ToList();
    }

    /// <summary>The platform store's migrations (Default tenant's database), in the order they are applied.</summary>
    internal static IReadOnlyList<(string FeatureId, int Version, DataMigration Migration)> PlatformMigrations() =>
    [
        (PlatformTenantsMigration.FeatureId, 1, new PlatformTenantsMigration()),
        (PlatformResellersMigration.FeatureId, 1, new PlatformResellersMigration()),
        (PlatformDomainsMigration.FeatureId, 1, new PlatformDomainsMigration()),
        // The plans table and its seed (Free, Studio, Pro, Enterprise).
        (Plans.PlansMigration.FeatureId, 1, new Plans.PlansMigration()),
        // Facts the platform remembers about itself (the demo studio was seeded once).
        (PlatformSettingsMigration.FeatureId, 1, new PlatformSettingsMigration()),
    ];

    private static async Task<HashSet<(string, int)>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var applied = new HashSet<(string, int)>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT feature_id, version FROM {HistoryTable}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            applied.Add((reader.GetString(0), reader.GetInt32(1)));
        return applied;
    }

    private static async Task LockAsync(DbConnection connection, DbTransaction transaction, ITenantDatabase database, CancellationToken cancellationToken)
    {
        // SQLite: BeginTransaction is BEGIN IMMEDIATE, which already holds the database's write lock.
        if (database.Dialect != SqlDialect.Postgres)
            return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtext('studio_migrations:' || current_schema()))";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>A migration that failed; the tenant is disabled with this message until the operator acts.</summary>
public sealed class MigrationException(string featureId, int version, Exception inner)
    : Exception($"Migration {version} of feature '{featureId}' failed: {inner.Message}", inner)
{
    /// <summary>Feature whose migration failed.</summary>
    public string FeatureId { get; } = featureId;

    /// <summary>The failing version.</summary>
    public int Version { get; } = version;
}
