using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Studio.Host.Tenancy;

namespace Studio.Tests.Infrastructure;

/// <summary>
/// A Studio host in memory with its own data (temp folder / fresh PostgreSQL database), no demo tenant, and a
/// log capture. Share one per test class; each test makes its own tenants (see <see cref="TenantFixtureExtensions"/>).
/// </summary>
public class StudioFactory : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase = true;

    public StudioFactory() : this((string?)null) { }

    /// <param name="postgres">Use this PostgreSQL server as it is instead of the suite's engine.</param>
    protected StudioFactory(string? postgres) => _database = new TestDatabase(postgres);

    /// <summary>A second host instance on the same data as another (the caller disposes <paramref name="shared"/>).</summary>
    internal StudioFactory(TestDatabase shared)
    {
        _database = shared;
        _ownsDatabase = false;
    }

    private long _checkedUpTo;

    /// <summary>Everything the host logged.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Called by a test that has checked the log up to <paramref name="mark"/>.</summary>
    internal void CheckedUpTo(long mark) => Interlocked.Exchange(ref _checkedUpTo, mark);

    /// <summary>Start-up must log nothing at Warning or above; a failure here fails every test of the class.</summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        Logs.AssertClean(0, StartupLogs, $"{GetType().Name} start-up");
        CheckedUpTo(Logs.Mark);
        return host;
    }

    /// <summary>Log entries (Warning or above) a subclass's start-up causes on purpose.</summary>
    protected virtual IReadOnlyCollection<ExpectedLog> StartupLogs => [];

    /// <summary>The host's data folder.</summary>
    public string DataPath => _database.DataPath;

    /// <summary>Settings applied over the host's configuration; subclasses add to them.</summary>
    protected virtual IDictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Studio:DataPath"] = _database.DataPath,
            ["Studio:SeedDemoTenant"] = "false",
            // Always set, so an admin connection string in the environment never reaches the host itself.
            ["Studio:Postgres"] = _database.PostgresConnectionString ?? "",
            // Tests never reach the internet: no exchange-rate feed unless a test serves one on loopback.
            ["Studio:Currencies:FeedUrl"] = "",
        };
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(Settings()));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>A client for a host name (and optional port), without following redirects.</summary>
    public HttpClient ClientFor(string host, bool handleCookies = true) =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri($"http://{host}/"),
            AllowAutoRedirect = false,
            HandleCookies = handleCookies,
        });

    /// <summary>A service of the host's root container.</summary>
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The shell host (resolution, activation).</summary>
    public ShellHost Shells => Get<ShellHost>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
            _database.Dispose();
        // What happened after the last test (background work, shutdown) must be clean too.
        Logs.AssertClean(Interlocked.Read(ref _checkedUpTo), [], $"{GetType().Name} shutdown");
        GC.SuppressFinalize(this);
    }
}

/// <summary>A host with the first-run demo tenant seeded, as a new user sees it.</summary>
public sealed class SeededStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:SeedDemoTenant"] = "true";
        return settings;
    }
}
