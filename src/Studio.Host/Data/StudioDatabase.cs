using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Studio.Data;
using Studio.Host.Tenancy;

namespace Studio.Host.Data;

/// <summary>
/// Knows where every tenant's data lives — one SQLite file per tenant, or one PostgreSQL schema per tenant (or a
/// database of its own when the tenant names a connection string) — and opens connections to it. The platform
/// store is the Default tenant's database.
/// </summary>
public sealed class StudioDatabase
{
    private readonly StudioOptions _options;
    private readonly string _dataPath;

    public StudioDatabase(IOptions<StudioOptions> options, IHostEnvironment environment)
    {
        _options = options.Value;
        _dataPath = Path.GetFullPath(Path.Combine(environment.ContentRootPath, _options.DataPath));
        Dialect = string.IsNullOrWhiteSpace(_options.Postgres) ? SqlDialect.Sqlite : SqlDialect.Postgres;
    }

    /// <summary>The engine in use.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Root folder of SQLite files and tenant assets.</summary>
    public string DataPath => _dataPath;

    /// <summary>The platform store (the Default tenant's database).</summary>
    public ITenantDatabase Platform => ForTenant(Studio.Tenancy.TenantContext.DefaultName, null);

    /// <summary>The database of one tenant.</summary>
    public ITenantDatabase ForTenant(TenantRecord tenant) => ForTenant(tenant.Name, tenant.ConnectionString);

    /// <summary>Creates the tenant's storage if needed (folder or schema). Safe to call repeatedly.</summary>
    public async Task EnsureCreatedAsync(ITenantDatabase database, CancellationToken cancellationToken)
    {
        switch (database)
        {
            case SqliteTenantDatabase sqlite:
                Directory.CreateDirectory(Path.GetDirectoryName(sqlite.FilePath)!);
                await using (var connection = await sqlite.OpenConnectionAsync(cancellationToken))
                await using (var command = connection.CreateCommand())
                {
                    // WAL lets readers work while a writer commits; it is a property of the file, set once.
                    command.CommandText = "PRAGMA journal_mode=WAL;";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                break;
            case PostgresTenantDatabase postgres when postgres.Schema is not null:
                var builder = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { SearchPath = null };
                await using (var connection = new NpgsqlConnection(builder.ConnectionString))
                {
                    await connection.OpenAsync(cancellationToken);
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"CREATE SCHEMA IF NOT EXISTS {SqlNames.Quote(postgres.Schema)}";
                    try { await command.ExecuteNonQueryAsync(cancellationToken); }
                    catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateSchema)
                    {
                        // Another instance created it at the same moment: that is the outcome we wanted.
                    }
                }
                break;
        }
    }

    /// <summary>Deletes the tenant's storage (its file, or its schema). Used when a tenant is removed.</summary>
    public async Task DropAsync(ITenantDatabase database, CancellationToken cancellationToken)
    {
        switch (database)
        {
            case SqliteTenantDatabase sqlite:
                SqliteConnection.ClearAllPools();
                var folder = Path.GetDirectoryName(sqlite.FilePath)!;
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
                break;
            case PostgresTenantDatabase { Schema: not null } postgres:
                await using (var connection = await postgres.OpenConnectionAsync(cancellationToken))
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = $"DROP SCHEMA IF EXISTS {SqlNames.Quote(postgres.Schema)} CASCADE";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                break;
            case PostgresTenantDatabase { Schema: null } own:
                // A database of its own is the operator's to drop; the tenant's key ring goes now, so nothing
                // left there (its stored secrets) can be decrypted any more.
                await using (var connection = await own.OpenConnectionAsync(cancellationToken))
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = $"DROP TABLE IF EXISTS {Studio.Host.Security.KeyRings.TenantXmlRepository.Table}";
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                break;
        }
    }

    private ITenantDatabase ForTenant(string name, string? ownConnectionString)
    {
        if (Dialect == SqlDialect.Sqlite)
        {
            var file = Path.Combine(_dataPath, "Sites", name, "studio.db");
            return new SqliteTenantDatabase(file);
        }

        if (!string.IsNullOrWhiteSpace(ownConnectionString))
            return new PostgresTenantDatabase(ownConnectionString, Schema: null);
        // Every tenant schema shares the platform's connection string, hence ONE connection pool: a pool per
        // schema (a Search Path per connection string) kept idle connections for every active tenant and ran the
        // server out of connections ("too many clients") at about 100 active tenants.
        var schema = "tenant_" + name.ToLowerInvariant().Replace('-', '_');
        return new PostgresTenantDatabase(_options.Postgres!, schema);
    }
}

/// <summary>A tenant's own SQLite file.</summary>
internal sealed class SqliteTenantDatabase : ITenantDatabase
{
    private readonly string _connectionString;

    public SqliteTenantDatabase(string filePath)
    {
        FilePath = filePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // A writer that finds the file locked waits inside SQLite, which retries within a millisecond or two of the
        // lock's release. Without it Microsoft.Data.Sqlite retries on its own, sleeping 150 ms between tries: two
        // writes that met (a booking and the audit entry of the one before) cost the second one 150 ms.
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA busy_timeout = 30000;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return connection;
    }
}

/// <summary>A tenant's own PostgreSQL schema (search path set on every open) or database.</summary>
internal sealed record PostgresTenantDatabase(string ConnectionString, string? Schema) : ITenantDatabase
{
    public SqlDialect Dialect => SqlDialect.Postgres;

    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (Schema is not null)
            {
                // Session state is reset when a pooled connection is returned, so this holds for this use only.
                await using var command = connection.CreateCommand();
                command.CommandText = $"SET search_path TO {SqlNames.Quote(Schema)}";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
