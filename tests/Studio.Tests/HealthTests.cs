using System.Net;
using System.Text.Json;
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
}
