using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>Readiness answers 503 while PostgreSQL is down and recovers by itself when it returns.</summary>
public sealed class PostgresReadinessTests
{
    /// <summary>A host on a PostgreSQL server the test owns, polling for tenant changes often.</summary>
    private sealed class OwnServerFactory(string connectionString) : StudioFactory(connectionString)
    {
        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Studio:ChangePollInterval"] = "00:00:00.100";
            return settings;
        }
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [SkippableFact]
    public async Task Readiness_is_503_while_PostgreSQL_is_stopped_and_200_again_when_it_returns()
    {
        var bin = ThrowawayPostgres.FindBinaries();
        // Only a developer machine without PostgreSQL may skip; in CI a missing server is a failure.
        Skip.If(bin is null && Environment.GetEnvironmentVariable("CI") != "true", "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed.");
        Assert.True(bin is not null, "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin) but CI=true.");

        using var server = await ThrowawayPostgres.StartAsync(bin);
        await using var factory = new OwnServerFactory(server.ConnectionString);
        var client = factory.ClientFor("localhost");

        var (status, json) = await ReadyAsync(client);
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        Assert.Equal("Postgres", json.GetProperty("database").GetProperty("engine").GetString());
        Assert.True(json.GetProperty("database").GetProperty("reachable").GetBoolean());

        // A tenant not yet activated when the database goes away.
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        await factory.Get<TenantService>().CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = [Probe.ProbeFeatures.Probe] });
        var tenantClient = factory.ClientFor($"{name}.test");

        await server.StopImmediateAsync();
        (status, json) = await ReadyAsync(client);
        Assert.True(status == HttpStatusCode.ServiceUnavailable, json.ToString());
        Assert.Equal("NotReady", json.GetProperty("status").GetString());
        Assert.False(json.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.Equal("The platform database is unreachable.", json.GetProperty("database").GetProperty("error").GetString());
        // Liveness is not readiness: the process is still alive.
        using (var live = await client.GetAsync("/health"))
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // The tenant cannot activate now: "try again shortly", not an error page or a disabled tenant.
        using (var starting = await tenantClient.GetAsync("probe/info"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
            Assert.NotNull(starting.Headers.RetryAfter);
        }
        Assert.Equal(Studio.Tenancy.TenantState.Running, factory.Shells.Table.ByName[name].State);
        // The change watcher tells the operator the store is away, and keeps running.
        await Eventually.TrueAsync(() => factory.Logs.Entries.Any(IsWatcherWarning), "the change watcher reports the outage");

        await server.StartAsync();
        (status, json) = await Eventually.ResultAsync(() => ReadyAsync(client), r => r.Status == HttpStatusCode.OK,
            "readiness recovers", TimeSpan.FromSeconds(30));
        Assert.True(json.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.True(json.GetProperty("migrations").GetProperty("current").GetBoolean());

        // The tenant activates once the database is back (a failed activation does not stick).
        using (var back = await tenantClient.GetAsync("probe/info"))
            Assert.Equal(HttpStatusCode.OK, back.StatusCode);

        // The watcher recovered too: a change saved behind this instance's back (as another instance would) arrives.
        var store = factory.Get<ITenantStore>();
        var defaultTenant = (await store.FindAsync(Studio.Tenancy.TenantContext.DefaultName))!;
        var changed = await store.UpdateAsync(defaultTenant with { DisplayName = "Back again" });
        await Eventually.TrueAsync(() => factory.Shells.Table.ByName[defaultTenant.Name].Version == changed.Version,
            "the change watcher picks up changes after the outage");

        // Only the outage's own warnings were logged (everything else would fail the test).
        var end = factory.Logs.Mark;
        factory.CheckedUpTo(end);
        factory.Logs.AssertClean(0,
        [
            new ExpectedLog(typeof(TenantChangeWatcher).FullName!, LogLevel.Warning, "^Could not read tenant changes: "),
            new ExpectedLog(typeof(TenantMiddleware).FullName!, LogLevel.Warning, $"^Tenant {name} could not be activated now, its database is unavailable; the next request tries again$"),
        ], nameof(PostgresReadinessTests));
    }

    private static bool IsWatcherWarning(LogEntry e) =>
        e.Category == typeof(TenantChangeWatcher).FullName && e.Level == LogLevel.Warning;
}
