using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Studio.Host;

namespace Studio.Bench;

/// <summary>
/// The real Studio host, in this process, on a free loopback port: the same services and pipeline as
/// <c>Program.cs</c>, with its data in a throw-away folder (SQLite) or a throw-away PostgreSQL database.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataPath;
    private readonly string? _dropDatabase;
    private readonly string? _adminConnection;

    private BenchHost(WebApplication app, string dataPath, string? adminConnection, string? dropDatabase)
    {
        _app = app;
        _dataPath = dataPath;
        _adminConnection = adminConnection;
        _dropDatabase = dropDatabase;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public IServiceProvider Services => _app.Services;

    public Uri BaseAddress { get; }

    public string Engine { get; private init; } = "SQLite";

    /// <param name="postgres">A PostgreSQL connection string (a fresh database is created next to it), or null for SQLite.</param>
    /// <param name="settings">Configuration overrides (e.g. <c>Studio:MaxActiveTenants</c>).</param>
    public static async Task<BenchHost> StartAsync(string? postgres, IDictionary<string, string?>? settings = null)
    {
        var dataPath = Directory.CreateTempSubdirectory("studio-bench-").FullName;
        string? database = null;
        string? connection = null;
        if (postgres is not null)
        {
            database = $"studio_bench_{Environment.ProcessId}_{DateTime.UtcNow:HHmmssfff}";
            await using (var admin = new NpgsqlConnection(postgres))
            {
                await admin.OpenAsync();
                await using var create = admin.CreateCommand();
                create.CommandText = $"CREATE DATABASE \"{database}\"";
                await create.ExecuteNonQueryAsync();
            }
            connection = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The host's assembly is the application: its Razor Pages (the tenant home page) are found as in Program.cs.
            ApplicationName = typeof(StudioOptions).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            // A content root of its own, with an (empty) web root, so static files have a folder to look in.
            ContentRootPath = dataPath,
            WebRootPath = Directory.CreateDirectory(Path.Combine(dataPath, "wwwroot")).FullName,
        });
        var config = new Dictionary<string, string?>
        {
            ["Studio:DataPath"] = dataPath,
            ["Studio:Postgres"] = connection ?? "",
            ["Studio:SeedDemoTenant"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            config[key] = value;
        builder.Configuration.AddInMemoryCollection(config);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddStudioHost();
        var app = builder.Build();
        await app.UseStudioHostAsync();
        await app.StartAsync();
        return new BenchHost(app, dataPath, postgres, database) { Engine = postgres is null ? "SQLite" : "PostgreSQL" };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_dropDatabase is not null)
        {
            await using var admin = new NpgsqlConnection(_adminConnection);
            await admin.OpenAsync();
            await using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_dropDatabase}\" WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(_dataPath, recursive: true); }
        catch (IOException) { /* a file still held open: the temp folder is cleaned by the OS eventually */ }
    }
}
