using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Host.Data;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// One server and one browser shared by the tests of a class: starting them is the slow part, and each test
/// still gets a fresh tenant and a fresh browser context (own cookies) of its own.
/// </summary>
public class E2EFixture : IAsyncLifetime
{
    private readonly bool _seedDemoTenant;
    private TestDatabase? _database;
    private StudioServer? _server;
    private Chromium? _chromium;

    static E2EFixture()
    {
        // Every run sees a home folder as on a fresh machine (a new CI machine, a container): anything the host
        // would leave in ~ (a Data Protection key ring, say) shows up as its warning here, not first in production.
        var home = Directory.CreateTempSubdirectory("studio-e2e-home-").FullName;
        Environment.SetEnvironmentVariable("HOME", home);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(home, recursive: true); }
            catch (IOException) { /* left to the OS's temp cleanup */ }
        };
    }

    public E2EFixture() : this(seedDemoTenant: false)
    {
    }

    protected E2EFixture(bool seedDemoTenant) => _seedDemoTenant = seedDemoTenant;

    public StudioServer Server => _server ?? throw new InvalidOperationException("The fixture is not started.");

    /// <summary>
    /// The shared browser. Where Chromium is not installed a developer's run skips the browser tests; under CI
    /// (<c>CI</c> set) the fixture has already failed instead, so a missing browser can never pass unnoticed.
    /// </summary>
    public Chromium Chromium
    {
        get
        {
            Skip.If(_chromium is null && Chromium.Missing is not null, Chromium.Missing);
            return _chromium ?? throw new InvalidOperationException("The fixture is not started.");
        }
    }

    public string Engine => _database?.Engine ?? "?";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _server = new StudioServer(_database, _seedDemoTenant);
        _server.Start();
        // The run really uses the engine it was asked for (a stray setting must not turn a PostgreSQL run into SQLite).
        var dialect = _server.Services.GetRequiredService<StudioDatabase>().Dialect;
        Assert.Equal(_database.PostgresConnectionString is null ? SqlDialect.Sqlite : SqlDialect.Postgres, dialect);
        if (Chromium.Missing is null || Chromium.IsCi)
            _chromium = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_chromium is not null)
                await _chromium.DisposeAsync();
        }
        finally
        {
            if (_server is not null)
                await _server.DisposeAsync();
        }
        var problems = _server?.Log.Problems ?? [];
        if (_database is not null)
            await _database.DisposeAsync();
        // Anything logged after the last test's own check (e.g. while shutting down) still fails the run.
        Assert.True(problems.Count == 0, "The server logged warnings or errors:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }
}

/// <summary>A first run as a new user gets it: the host seeds the demo studio from its recipe.</summary>
public sealed class DemoStudioFixture() : E2EFixture(seedDemoTenant: true);
