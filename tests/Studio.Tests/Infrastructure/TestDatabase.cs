using Npgsql;

namespace Studio.Tests.Infrastructure;

/// <summary>
/// Where one test host keeps its data. SQLite (the default): a temp folder of its own. PostgreSQL (when the
/// environment variable <c>Studio__Postgres</c> holds an admin connection string with CREATEDB): a freshly
/// created database of its own, dropped at dispose — so hosts never share state on either engine.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The environment variable that switches the suite to PostgreSQL.</summary>
    public const string PostgresVariable = "Studio__Postgres";

    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    /// <param name="postgres">A PostgreSQL connection string to use as it is (a server the test owns), or null.</param>
    public TestDatabase(string? postgres = null)
    {
        DataPath = Path.Combine(Path.GetTempPath(), "studio-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataPath);
        if (postgres is not null)
        {
            PostgresConnectionString = postgres;
            return;
        }
        _adminConnectionString = AdminConnectionString;
        if (_adminConnectionString is null)
            return;

        _databaseName = "studio_test_" + Guid.NewGuid().ToString("N")[..16];
        using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{_databaseName}\"";
            create.ExecuteNonQuery();
        }
        PostgresConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _databaseName }.ConnectionString;
    }

    /// <summary>The admin connection string of the PostgreSQL run, or null on SQLite.</summary>
    public static string? AdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>True when the suite runs on PostgreSQL.</summary>
    public static bool IsPostgres => AdminConnectionString is not null;

    /// <summary>The host's data folder (SQLite files, tenant assets).</summary>
    public string DataPath { get; }

    /// <summary>Connection string of this host's own database, or null on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    public void Dispose()
    {
        if (_databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(_adminConnectionString);
            admin.Open();
            using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)";
            drop.ExecuteNonQuery();
        }
        try { Directory.Delete(DataPath, recursive: true); }
        catch (IOException) { /* a file still held open by a finishing background task; it is under temp */ }
    }
}
