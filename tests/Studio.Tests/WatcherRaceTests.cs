using System.Net;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>A host that polls the store for changes very often, to provoke races with its own writes.</summary>
public sealed class FastPollStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:ChangePollInterval"] = "00:00:00.001";
        return settings;
    }
}

/// <summary>The change watcher must never roll this instance back to an older record it saved itself.</summary>
public sealed class WatcherRaceTests(FastPollStudioFactory factory) : StudioTest<FastPollStudioFactory>(factory)
{
    [Fact]
    public async Task Freshly_created_and_changed_tenants_answer_at_once_while_the_watcher_polls()
    {
        var failures = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
            using var response = await tenant.Client.GetAsync("probe/info");
            if (response.StatusCode != HttpStatusCode.OK)
                failures.Add($"{tenant.Name}: {(int)response.StatusCode}");
            var state = Factory.Shells.Table.ByName[tenant.Name].State;
            if (state != Studio.Tenancy.TenantState.Running)
                failures.Add($"{tenant.Name}: table says {state}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task An_older_record_applied_after_a_newer_one_is_ignored()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        var older = await RecordAsync(tenant.Name);
        var newer = await Factory.Get<Studio.Host.Tenancy.TenantService>().UpdateAsync(tenant.Name, null, t => t with { DisplayName = "Newer" });
        Assert.True(newer.Revision > older.Revision);
        await GetStringAsync(tenant.Client, "probe/info");
        var shell = Assert.Single(Factory.Shells.ActiveShells, s => s.Record.Name == tenant.Name);

        Factory.Shells.Apply(older);
        Assert.Equal(newer.Version, Factory.Shells.Table.ByName[tenant.Name].Version);
        Assert.False(shell.IsReleased);
    }
}
