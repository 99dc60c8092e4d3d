using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;
using Studio.Data;
using Studio.Host.Data;
using Studio.Host.Features;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>Migrations run on activation and on enable, once, under a lock; failures disable only their tenant.</summary>
public sealed class MigrationTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task<ITenantDatabase> DatabaseAsync(string tenant) =>
        Factory.Get<StudioDatabase>().ForTenant(await RecordAsync(tenant));

    private static async Task<bool> TableExistsAsync(ITenantDatabase database, string table)
    {
        await using var connection = await database.OpenConnectionAsync();
        try
        {
            await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
            return true;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private static async Task<long> HistoryCountAsync(ITenantDatabase database, string featureId)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM {MigrationRunner.HistoryTable} WHERE feature_id = @featureId AND version = 1", new { featureId });
    }

    [Fact]
    public async Task Enabling_a_feature_runs_its_migrations_once()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        await GetStringAsync(tenant.Client, "probe/info"); // activated: its database exists
        var database = await DatabaseAsync(tenant.Name);
        Assert.False(await TableExistsAsync(database, "hello_greetings"));

        await ChangeFeaturesAsync(tenant.Name, ["Studio.Hello"], []);
        Assert.True(await TableExistsAsync(database, "hello_greetings"));
        Assert.Equal(1, await HistoryCountAsync(database, "Studio.Hello"));
        Assert.Contains(TestLogs, e => e.Category == typeof(MigrationRunner).FullName && e.Message == "Applied migrations Studio.Hello@1");

        // Running again (here and on the next activation) changes nothing.
        var runner = Factory.Get<MigrationRunner>();
        Assert.Empty(await runner.MigrateAsync(database, ["Studio.Hello"], CancellationToken.None));
        Assert.Empty(await runner.PendingAsync(database, ["Studio.Hello"], CancellationToken.None));
        Factory.Get<TenantService>().Reload(tenant.Name);
        await GetStringAsync(tenant.Client, "hello");
        Assert.Equal(1, await HistoryCountAsync(database, "Studio.Hello"));
        Assert.Single(TestLogs, e => e.Message.StartsWith("Applied migrations", StringComparison.Ordinal) && e.Message.Contains("Studio.Hello"));
    }

    [Fact]
    public async Task Activation_runs_the_migrations_of_a_tenants_features()
    {
        var tenant = await CreateTenantAsync(["Studio.Hello"]);
        var database = await DatabaseAsync(tenant.Name);
        await GetStringAsync(tenant.Client, "hello");
        Assert.True(await TableExistsAsync(database, "hello_greetings"));
        Assert.Equal(1, await HistoryCountAsync(database, "Studio.Hello"));
    }

    [Fact]
    public async Task Parallel_migration_runs_on_one_tenant_database_apply_each_migration_once()
    {
        var tenant = await CreateTenantAsync();
        var databases = Factory.Get<StudioDatabase>();
        var database = await DatabaseAsync(tenant.Name);
        await databases.EnsureCreatedAsync(database, CancellationToken.None);
        var runner = Factory.Get<MigrationRunner>();

        using var start = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            // Each run on its own connection, as two host instances would.
            return await runner.MigrateAsync(databases.ForTenant(await RecordAsync(tenant.Name)), ["Studio.Hello"], CancellationToken.None);
        })).ToList();
        start.Set();
        var applied = (await Task.WhenAll(runs)).SelectMany(r => r).ToList();

        Assert.Equal(["Studio.Hello@1"], applied);
        Assert.Equal(1, await HistoryCountAsync(database, "Studio.Hello"));
        Assert.True(await TableExistsAsync(database, "hello_greetings"));
    }

    [Fact]
    public async Task Failed_migration_on_activation_disables_the_tenant_with_its_error_and_spares_the_others()
    {
        ExpectLog(typeof(ShellHost).FullName!, LogLevel.Error,
            @"^Tenant t[0-9a-f]+ was disabled: Migration 1 of feature 'Tests\.BrokenMigration' failed: ");
        var healthy = await CreateTenantAsync([ProbeFeatures.Probe]);
        var broken = await CreateTenantAsync([ProbeFeatures.Probe, ProbeFeatures.BrokenMigration]);

        using (var response = await broken.Client.GetAsync("probe/info"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("This studio is unavailable", await response.Content.ReadAsStringAsync());
        }
        var record = await RecordAsync(broken.Name);
        Assert.Equal(TenantState.Disabled, record.State);
        Assert.Contains("Tests.BrokenMigration", record.Error);
        Assert.Equal(TenantState.Disabled, Factory.Shells.Table.ByName[broken.Name].State);
        await GetStringAsync(broken.Client, "/", HttpStatusCode.ServiceUnavailable);

        // Nothing of the failed run was kept, the probe's schema neither.
        var database = await DatabaseAsync(broken.Name);
        Assert.False(await TableExistsAsync(database, "probe_broken_first"));

        // The operator sees it in readiness; the platform itself stays ready.
        using var ready = await Factory.ClientFor("localhost").GetAsync("/health/ready");
        var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var failed = json.GetProperty("tenants").GetProperty("failed").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == broken.Name);
        Assert.Contains("Migration 1 of feature 'Tests.BrokenMigration' failed", failed.GetProperty("error").GetString());

        // Another tenant keeps answering.
        Assert.Equal(healthy.Name, (await healthy.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Tenant);
    }

    [Fact]
    public async Task A_migration_failing_with_any_exception_disables_the_tenant_and_the_operator_sees_why()
    {
        ExpectLog(typeof(ShellHost).FullName!, LogLevel.Error,
            @"^Tenant t[0-9a-f]+ was disabled: Migration 1 of feature 'Tests\.ThrowingMigration' failed: " + ThrowingMigration.Message);
        var healthy = await CreateTenantAsync([ProbeFeatures.Probe]);
        var broken = await CreateTenantAsync([ProbeFeatures.Probe, ProbeFeatures.ThrowingMigration]);
        var activations = Factory.Get<ShellFactory>().Activations;

        using (var response = await broken.Client.GetAsync("probe/info"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("This studio is unavailable", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Retry-After")); // disabled, not "starting": no point retrying
        }
        var record = await RecordAsync(broken.Name);
        Assert.Equal(TenantState.Disabled, record.State);
        Assert.Equal($"Migration 1 of feature 'Tests.ThrowingMigration' failed: {ThrowingMigration.Message}", record.Error);
        Assert.Equal(TenantState.Disabled, Factory.Shells.Table.ByName[broken.Name].State);
        // Later requests do not try to activate it again.
        await GetStringAsync(broken.Client, "/", HttpStatusCode.ServiceUnavailable);
        Assert.Equal(activations, Factory.Get<ShellFactory>().Activations);
        Assert.False(await TableExistsAsync(await DatabaseAsync(broken.Name), "probe_throwing_first"));

        // The operator sees the tenant disabled, with the error, in the tenant list.
        var op = await Factory.CreateUserAsync(TenantContext.DefaultName, [Studio.Identity.StudioRoles.Operator]);
        var operatorClient = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, op));
        var list = await GetStringAsync(operatorClient, $"admin/tenants?q={broken.Name}");
        var row = Regex.Match(list, $"<tr[^>]*>(?:(?!</tr>).)*{broken.Name}(?:(?!</tr>).)*</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, Truncate(list));
        Assert.Contains("Disabled", row.Value);
        Assert.Contains(ThrowingMigration.Message, row.Value);
        Assert.Contains("Migration 1 of feature", row.Value);

        // Another tenant keeps answering.
        Assert.Equal(healthy.Name, (await healthy.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Tenant);
    }

    [Fact]
    public async Task A_transient_database_error_during_migration_answers_503_with_retry_after_and_the_next_request_succeeds()
    {
        ExpectLog(typeof(TenantMiddleware).FullName!, LogLevel.Warning,
            @"^Tenant t[0-9a-f]+ could not be activated now, its database is unavailable; the next request tries again$");
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe, ProbeFeatures.FlakyMigration]);
        FlakyMigration.Failures = 1;
        try
        {
            using (var response = await tenant.Client.GetAsync("probe/info"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(TenantMiddleware.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
                Assert.Contains("This studio is starting", await response.Content.ReadAsStringAsync());
            }
            Assert.Equal(0, FlakyMigration.Failures);
            var record = await RecordAsync(tenant.Name);
            Assert.Equal(TenantState.Running, record.State);
            Assert.Null(record.Error);
            Assert.Equal(TenantState.Running, Factory.Shells.Table.ByName[tenant.Name].State);
            // Nothing of the failed run was kept: the migration runs again, whole.
            Assert.False(await TableExistsAsync(await DatabaseAsync(tenant.Name), "probe_flaky"));

            Assert.Equal(tenant.Name, (await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Tenant);
            Assert.True(await TableExistsAsync(await DatabaseAsync(tenant.Name), "probe_flaky"));
            Assert.Equal(1, await HistoryCountAsync(await DatabaseAsync(tenant.Name), ProbeFeatures.FlakyMigration));
        }
        finally { FlakyMigration.Failures = 0; }
    }

    [Fact]
    public async Task Enabling_a_feature_whose_migration_fails_is_refused_and_the_tenant_keeps_running()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        var before = await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info");
        var recordBefore = await RecordAsync(tenant.Name);

        var result = await Factory.Get<FeatureManager>().ChangeAsync(tenant.Name, [ProbeFeatures.BrokenMigration], [], force: true);
        Assert.False(result.Succeeded);
        Assert.Contains("Migration 1 of feature 'Tests.BrokenMigration' failed", result.Error);

        var recordAfter = await RecordAsync(tenant.Name);
        Assert.Equal(recordBefore.Version, recordAfter.Version);
        Assert.Equal(TenantState.Running, recordAfter.State);
        Assert.Null(recordAfter.Error);
        Assert.DoesNotContain(ProbeFeatures.BrokenMigration, recordAfter.Features);
        var after = await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info");
        Assert.Equal(before!.Generation, after!.Generation); // same activation, not even reloaded
        Assert.False(await TableExistsAsync(await DatabaseAsync(tenant.Name), "probe_broken_first"));
    }
}
