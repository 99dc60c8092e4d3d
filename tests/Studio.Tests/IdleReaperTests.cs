using System.Net.Http.Json;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>A host whose tenants are released after a few seconds without a request, looked for often.</summary>
public sealed class ShortIdleStudioFactory : StudioFactory
{
    // Long enough that the busy tenant, asked every 100 ms, is never idle that long even on a loaded 2-core CI machine.
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(8);

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:IdleTimeout"] = IdleTimeout.ToString();
        settings["Studio:IdleCheckInterval"] = "00:00:00.200";
        return settings;
    }
}

/// <summary>The host's own timer (TenantIdleReaper) releases idle tenants and keeps those in use.</summary>
public sealed class IdleReaperTests(ShortIdleStudioFactory factory) : StudioTest<ShortIdleStudioFactory>(factory)
{
    private bool IsActive(string tenant) => Factory.Shells.ActiveShells.Any(s => s.Record.Name == tenant);

    [Fact]
    public async Task The_reaper_releases_an_idle_tenant_on_its_own_and_keeps_a_recently_used_one()
    {
        var idle = await CreateTenantAsync([ProbeFeatures.Probe]);
        var busy = await CreateTenantAsync([ProbeFeatures.Probe]);
        await GetStringAsync(idle.Client, "probe/info");
        var busyGeneration = (await busy.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Generation;
        Assert.True(IsActive(idle.Name));

        // Nobody calls ReleaseIdle: only the reaper's timer can release the idle tenant. The other one is asked
        // for far more often than the idle time, so it is never idle that long.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (IsActive(idle.Name))
        {
            Assert.True(DateTime.UtcNow < deadline, "the idle tenant was not released by the reaper");
            Assert.Equal(busyGeneration, (await busy.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Generation);
            await Task.Delay(100);
        }

        Assert.True(IsActive(busy.Name));
        Assert.Equal(busyGeneration, (await busy.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Generation);
        Assert.Contains(TestLogs, e => e.Message == $"Released tenant {idle.Name}");
        Assert.DoesNotContain(TestLogs, e => e.Message == $"Released tenant {busy.Name}");
        // Released, not broken: its next request activates it again.
        Assert.Equal(idle.Name, (await idle.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Tenant);
    }
}
