using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>Tenant records are versioned: concurrent edits are detected, never lost.</summary>
public sealed class ConcurrencyTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Second_update_from_the_same_version_throws()
    {
        var tenant = await CreateTenantAsync();
        var service = Factory.Get<TenantService>();
        var read = await RecordAsync(tenant.Name);

        var first = await service.UpdateAsync(tenant.Name, read.Version, t => t with { DisplayName = "First editor" });
        Assert.NotEqual(read.Version, first.Version);
        var e = await Assert.ThrowsAsync<TenantConcurrencyException>(() =>
            service.UpdateAsync(tenant.Name, read.Version, t => t with { DisplayName = "Second editor" }));
        Assert.Contains(tenant.Name, e.Message);
        Assert.Equal("First editor", (await RecordAsync(tenant.Name)).DisplayName);
    }

    [Fact]
    public async Task Store_refuses_a_stale_record()
    {
        var tenant = await CreateTenantAsync();
        var store = Factory.Get<ITenantStore>();
        var read = await RecordAsync(tenant.Name);
        await store.UpdateAsync(read with { DisplayName = "One" });
        await Assert.ThrowsAsync<TenantConcurrencyException>(() => store.UpdateAsync(read with { DisplayName = "Two" }));
        Assert.Equal("One", (await RecordAsync(tenant.Name)).DisplayName);
    }

    [Fact]
    public async Task Parallel_updates_from_one_version_let_exactly_one_win()
    {
        var tenant = await CreateTenantAsync();
        var store = Factory.Get<ITenantStore>();
        var read = await RecordAsync(tenant.Name);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try { return (await store.UpdateAsync(read with { DisplayName = $"Editor {i}" })).DisplayName; }
            catch (TenantConcurrencyException) { return null; }
        })));
        var winner = Assert.Single(attempts, a => a is not null);
        Assert.Equal(winner, (await RecordAsync(tenant.Name)).DisplayName);
    }
}
