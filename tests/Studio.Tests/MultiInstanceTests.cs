using System.Net;
using System.Net.Http.Json;
using Studio.Host.Data;
using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>Two host instances on one platform database (a web farm, or a rolling deploy).</summary>
public sealed class MultiInstanceTests
{
    [Fact]
    public async Task Two_instances_starting_at_once_on_an_empty_database_both_start_and_share_the_tenants()
    {
        using var data = new TestDatabase();
        await using var first = new StudioFactory(data);
        await using var second = new StudioFactory(data);

        // Both start together: platform migrations and the first-run Default tenant must not collide.
        await Task.WhenAll(Task.Run(() => first.Server), Task.Run(() => second.Server));

        Assert.Contains("Welcome to Studio", await first.ClientFor("localhost").GetStringAsync("/"));
        Assert.Contains("Welcome to Studio", await second.ClientFor("localhost").GetStringAsync("/"));
        Assert.Single((await first.Get<ITenantStore>().LoadAllAsync()), t => t.IsDefault);

        // A tenant created on one instance is served by the other once its change watcher has seen it.
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        await first.Get<TenantService>().CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = [ProbeFeatures.Probe] });
        await Eventually.TrueAsync(() => second.Shells.Table.ByName.TryGetValue(name, out var t) && t.State == Studio.Tenancy.TenantState.Running,
            "the second instance sees the new tenant");
        var report = await second.ClientFor($"{name}.test").GetFromJsonAsync<ProbeReport>("probe/info");
        Assert.Equal(name, report!.Tenant);

        // Both activations ran the migrations once between them.
        var database = second.Get<StudioDatabase>().ForTenant(second.Shells.Table.ByName[name]);
        Assert.Empty(await second.Get<MigrationRunner>().PendingAsync(database, [ProbeFeatures.Probe], CancellationToken.None));

        first.Logs.AssertClean(0, [], "first instance");
        second.Logs.AssertClean(0, [], "second instance");
    }
}
