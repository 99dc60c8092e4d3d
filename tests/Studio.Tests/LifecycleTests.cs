using System.Net;
using System.Net.Http.Json;
using Studio.Host.Data;
using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>A host that keeps at most three tenants active.</summary>
public sealed class CappedStudioFactory : StudioFactory
{
    public const int Cap = 3;

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:MaxActiveTenants"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Studio:IdleTimeout"] = "00:10:00";
        return settings;
    }
}

/// <summary>Idle tenants are released, active ones are capped (least recently used first), removed ones vanish.</summary>
public sealed class LifecycleTests(CappedStudioFactory factory) : StudioTest<CappedStudioFactory>(factory)
{
    private static readonly string[] Probe = [ProbeFeatures.Probe];

    private bool IsActive(TestTenant tenant) => Factory.Shells.ActiveShells.Any(s => s.Record.Name == tenant.Name);

    [Fact]
    public async Task Least_recently_used_tenant_is_released_beyond_the_cap()
    {
        var tenants = new List<TestTenant>();
        for (var i = 0; i < CappedStudioFactory.Cap + 1; i++)
        {
            tenants.Add(await CreateTenantAsync(Probe));
            await GetStringAsync(tenants[^1].Client, "probe/info");
            await Task.Delay(5); // distinct last-use times
        }
        Assert.True(Factory.Shells.ActiveShells.Count() <= CappedStudioFactory.Cap,
            "active: " + string.Join(", ", Factory.Shells.ActiveShells.Select(s => s.Record.Name)));
        Assert.False(IsActive(tenants[0]));
        Assert.True(IsActive(tenants[^1]));
        // A released tenant simply activates again on its next request.
        Assert.Equal(tenants[0].Name, (await tenants[0].Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.Tenant);
    }

    [Fact]
    public async Task Idle_tenants_are_released_but_busy_ones_are_kept()
    {
        var idle = await CreateTenantAsync(Probe);
        var busy = await CreateTenantAsync(Probe);
        await GetStringAsync(idle.Client, "probe/info");
        var key = Guid.NewGuid().ToString("N");
        var gate = ProbeGates.For(key);
        var slow = busy.Client.GetAsync($"probe/wait/{key}");
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));

        var released = Factory.Shells.ReleaseIdle(DateTime.UtcNow + TimeSpan.FromMinutes(11));
        Assert.True(released >= 1);
        Assert.False(IsActive(idle));
        Assert.True(IsActive(busy));

        gate.Open();
        using var response = await slow;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, Factory.Shells.ReleaseIdle(DateTime.UtcNow));
    }

    [Fact]
    public async Task Removed_tenant_is_gone_with_its_data()
    {
        var tenant = await CreateTenantAsync(["Studio.Hello"]);
        await GetStringAsync(tenant.Client, "hello");
        var service = Factory.Get<TenantService>();
        var refused = await Assert.ThrowsAsync<TenantValidationException>(() => service.RemoveAsync(tenant.Name));
        Assert.Contains("Disable the tenant", refused.Message);

        await service.SetEnabledAsync(tenant.Name, false);
        await service.RemoveAsync(tenant.Name);
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(tenant.Name));
        await GetStringAsync(tenant.Client, "/", HttpStatusCode.NotFound);
        await AssertStorageGoneAsync(tenant.Name);

        // The name can be used again, starting empty.
        var again = await CreateTenantAsync(["Studio.Hello"], name: tenant.Name);
        Assert.Equal(0, (await GetJsonAsync(again.Client, "hello/api/greetings")).GetArrayLength());
    }
}
