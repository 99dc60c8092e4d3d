using System.Net;
using System.Text.Json;
using Dapper;
using Studio.Host.Data;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

public sealed class HealthTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Liveness_answers_json_on_any_host()
    {
        foreach (var host in new[] { "localhost", "nobody-here.test" })
        {
            using var response = await Factory.ClientFor(host).GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("Healthy", json.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Readiness_reports_database_migrations_and_tenant_counts_by_state()
    {
        var running = await CreateTenantAsync();
        var disabled = await CreateTenantAsync();
        await Factory.Get<Studio.Host.Tenancy.TenantService>().SetEnabledAsync(disabled.Name, false);

        using (var elsewhere = await Factory.ClientFor("no-tenant-here.test").GetAsync("/health/ready"))
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        using var response = await Factory.ClientFor("localhost").GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Ready", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.Equal(TestDatabase.IsPostgres ? "Postgres" : "Sqlite", json.GetProperty("database").GetProperty("engine").GetString());
        Assert.True(json.GetProperty("migrations").GetProperty("current").GetBoolean());

        var tenants = json.GetProperty("tenants");
        var table = Factory.Shells.Table.ByName.Values;
        Assert.Equal(table.Count(), tenants.GetProperty("total").GetInt32());
        var byState = tenants.GetProperty("byState");
        foreach (var state in Enum.GetValues<Studio.Tenancy.TenantState>())
            Assert.Equal(table.Count(t => t.State == state), byState.GetProperty(state.ToString()).GetInt32());
        Assert.True(byState.GetProperty("Running").GetInt32() >= 2, body); // Default + running
        Assert.True(byState.GetProperty("Disabled").GetInt32() >= 1, body);
        Assert.Contains(running.Name, table.Select(t => t.Name));
    }

    [Fact]
    public async Task Readiness_is_503_with_the_pending_platform_migration_listed_until_a_start_applies_it()
    {
        using var data = new TestDatabase();
        await using (var host = new StudioFactory(data))
        {
            var client = host.ClientFor("localhost");
            using (var ready = await client.GetAsync("/health/ready"))
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

            // A platform migration missing from the store (as after deploying a build whose start-up did not run
            // it): its table and its history row gone.
            await using (var connection = await host.Get<StudioDatabase>().Platform.OpenConnectionAsync())
            {
                await connection.ExecuteAsync("DROP TABLE domain_verifications");
                await connection.ExecuteAsync($"DELETE FROM {MigrationRunner.HistoryTable} WHERE feature_id = 'Studio.Platform.Domains'");
            }

            using var response = await client.GetAsync("/health/ready");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, body);
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal("NotReady", json.GetProperty("status").GetString());
            Assert.True(json.GetProperty("database").GetProperty("reachable").GetBoolean());
            var migrations = json.GetProperty("migrations");
            Assert.False(migrations.GetProperty("current").GetBoolean());
            Assert.Equal(["Studio.Platform.Domains@1"], migrations.GetProperty("pending").EnumerateArray().Select(p => p.GetString()));
        }

        // The next start applies what is pending, and the platform is ready again.
        await using var restarted = new StudioFactory(data);
        using var after = await restarted.ClientFor("localhost").GetAsync("/health/ready");
        var afterBody = await after.Content.ReadAsStringAsync();
        Assert.True(after.StatusCode == HttpStatusCode.OK, afterBody);
        var afterJson = JsonDocument.Parse(afterBody).RootElement;
        Assert.True(afterJson.GetProperty("migrations").GetProperty("current").GetBoolean());
        Assert.Empty(afterJson.GetProperty("migrations").GetProperty("pending").EnumerateArray());
        await using var check = await restarted.Get<StudioDatabase>().Platform.OpenConnectionAsync();
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM domain_verifications"));
    }
}
