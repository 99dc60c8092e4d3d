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
    /// <summary>A second instance that polls for changes very often.</summary>
    private sealed class FastPollInstance(TestDatabase shared) : StudioFactory(shared)
    {
        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Studio:ChangePollInterval"] = "00:00:00.005";
            return settings;
        }
    }

    [Fact]
    public async Task Every_change_saved_concurrently_on_one_instance_reaches_the_other()
    {
        using var data = new TestDatabase();
        await using var writer = new StudioFactory(data);
        await using var reader = new FastPollInstance(data);
        _ = writer.Server;
        _ = reader.Server;
        var service = writer.Get<TenantService>();
        var names = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var name = "t" + Guid.NewGuid().ToString("N")[..12];
            await service.CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"] });
            names.Add(name);
        }

        // Concurrent saves of different tenants: their revisions must become visible in order, or the other
        // instance's watcher skips a save that commits after a later revision was already read.
        await Task.WhenAll(names.Select(name => Task.Run(async () =>
        {
            for (var j = 0; j < 15; j++)
                await service.UpdateAsync(name, null, t => t with { DisplayName = $"Edit {j}" });
        })));

        var store = writer.Get<ITenantStore>();
        var expected = (await store.LoadAllAsync()).Where(t => names.Contains(t.Name)).ToDictionary(t => t.Name, t => t.Version);
        await Eventually.TrueAsync(() => expected.All(e => reader.Shells.Table.ByName.TryGetValue(e.Key, out var t) && t.Version == e.Value),
            "the reading instance has the last save of every tenant", TimeSpan.FromSeconds(5));
        writer.Logs.AssertClean(0, [], "writer");
        reader.Logs.AssertClean(0, [], "reader");
    }

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

    [Fact]
    public async Task A_build_without_a_module_that_tenants_use_does_not_start()
    {
        using var data = new TestDatabase();
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        await using (var previous = new StudioFactory(data))
        {
            var created = await previous.Get<TenantService>().CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"] });
            // As if the previous build had a module this one lacks: the record names a feature nothing provides.
            await previous.Get<ITenantStore>().UpdateAsync(created with { Features = ["Studio.Retired"] });
            previous.Logs.AssertClean(0, [], "previous build");
        }

        await using var next = new StudioFactory(data);
        var thrown = Record.Exception(() => next.CreateClient());
        Exception? found = thrown;
        while (found is not null and not Studio.Host.Modules.ModuleCatalogException)
            found = found.InnerException ?? (found as AggregateException)?.InnerExceptions.FirstOrDefault();
        Assert.True(found is not null, "start-up did not stop with a ModuleCatalogException: " + thrown);
        Assert.Contains("missing module", found!.Message);
        Assert.Contains("'Studio.Retired'", found.Message);
        Assert.Contains($"'{name}'", found.Message);
    }
}

/// <summary>Stopping the host stops its tenants: their containers (and the background work they own) are disposed.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_disposes_every_active_tenant_before_it_returns()
    {
        TenantShell shell;
        await using (var factory = new StudioFactory())
        {
            var name = "t" + Guid.NewGuid().ToString("N")[..12];
            await factory.Get<TenantService>().CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = [ProbeFeatures.Probe] });
            var client = factory.CreateClient(new() { BaseAddress = new Uri($"http://{name}.test/") });
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("probe/info")).StatusCode);
            shell = Assert.Single(factory.Shells.ActiveShells, s => s.Record.Name == name);
        }
        Assert.True(shell.IsDisposed);
        Assert.True(shell.Disposed.IsCompletedSuccessfully, "disposal finished before the host's disposal returned");
    }
}
