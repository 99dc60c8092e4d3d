using Npgsql;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// Where a test server keeps its data: a temporary folder always (SQLite files, tenant assets), and — when the
/// environment names a PostgreSQL server through <c>Studio__Postgres</c> — a fresh database created for the run
/// through that admin connection and dropped afterwards, so runs never see each other's tenants.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>The environment variable CI and developers use to run the suite on PostgreSQL.</summary>
    public const string PostgresVariable = "Studio__Postgres";

    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(string dataPath, string? adminConnectionString, string? databaseName, string? connectionString)
    {
        DataPath = dataPath;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        PostgresConnectionString = connectionString;
    }

    /// <summary>Temporary folder for <c>Studio:DataPath</c>.</summary>
    public string DataPath { get; }

    /// <summary>Connection string of the run's own PostgreSQL database; null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>Which engine the run uses, for messages.</summary>
    public string Engine => PostgresConnectionString is null ? "SQLite" : "PostgreSQL";

    public static async Task<TestDatabase> CreateAsync()
    {
        var dataPath = Directory.CreateTempSubdirectory("studio-e2e-").FullName;
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
            return new TestDatabase(dataPath, null, null, null);

        var name = "studio_e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(dataPath, admin, name, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null && _databaseName is not null)
        {
            // Pooled connections of the stopped server still hold the database open.
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataPath, recursive: true); }
        catch (IOException) { /* a file still open at exit is left to the OS's temp cleanup */ }
    }
}
