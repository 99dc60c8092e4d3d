using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Host.Features;
using Studio.Host.Tenancy;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// The real Studio host on a real loopback port (Kestrel, not the in-memory test server), so a real browser can
/// reach it. Tenants are created and changed through the host's own services, as an operator's tools would.
/// </summary>
public sealed class StudioServer : WebApplicationFactory<Program>
{
    private readonly TestDatabase _database;
    private readonly bool _seedDemoTenant;

    public StudioServer(TestDatabase database, bool seedDemoTenant = false)
    {
        _database = database;
        _seedDemoTenant = seedDemoTenant;
        // Loopback only, any free port: parallel test classes each get their own server.
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>Warnings and errors the server logged.</summary>
    public ServerLog Log { get; } = new();

    /// <summary>The port Kestrel listens on (known after <see cref="Start"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Starts the server and learns its port.</summary>
    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Port = new Uri(addresses.First()).Port;
    }

    /// <summary>The address of a tenant's host name, e.g. <c>http://alpha-x1.localhost:41234/</c>.</summary>
    public Uri UrlFor(string host, string path = "/") => new($"http://{host}:{Port}{path}");

    /// <summary>Runs <paramref name="work"/> in a scope of the tenant's container (activating it), as a request would.</summary>
    public async Task<T> InTenantAsync<T>(string tenant, Func<IServiceProvider, Task<T>> work)
    {
        var shells = Services.GetRequiredService<ShellHost>();
        var shell = await shells.AcquireAsync(shells.Table.ByName[tenant], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }
        finally { shell.Leave(); }
    }

    /// <summary>Creates a running tenant.</summary>
    public Task<TenantRecord> CreateTenantAsync(TenantCreateRequest request) =>
        Services.GetRequiredService<TenantService>().CreateAsync(request);

    /// <summary>Enables features on a tenant; fails the test when the change is refused.</summary>
    public async Task EnableFeaturesAsync(string tenant, params string[] features)
    {
        var result = await Services.GetRequiredService<FeatureManager>().ChangeAsync(tenant, features, [], force: false);
        Assert.True(result.Succeeded, $"Enabling {string.Join(", ", features)} on {tenant} failed: {result.Error} {string.Join(", ", result.Plan?.Extra ?? [])}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As deployed: the production error handler, not the developer exception page.
        builder.UseEnvironment("Production");
        builder.UseSetting("Studio:DataPath", _database.DataPath);
        builder.UseSetting("Studio:SeedDemoTenant", _seedDemoTenant ? "true" : "false");
        // Overrides an admin connection from the environment with the run's own database (or clears it for SQLite).
        builder.UseSetting("Studio:Postgres", _database.PostgresConnectionString ?? "");
        // The change watcher polls all the time, as it would with other instances writing: a stale read it
        // applies late must never roll back a change the tests just made.
        builder.UseSetting("Studio:ChangePollInterval", "00:00:00.050");
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}
