using System.Net;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>Disabled tenants answer 503 with a clear page; initializing ones 503 with Retry-After.</summary>
public sealed class TenantStateTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Disabled_tenant_answers_503_with_a_clear_page_and_comes_back_when_enabled()
    {
        var tenant = await CreateTenantAsync(configure: r => r with { Brand = new BrandSettings { DisplayName = "Hidden Brand" } });
        await GetStringAsync(tenant.Client, "/");

        await Factory.Get<TenantService>().SetEnabledAsync(tenant.Name, false);
        using (var response = await tenant.Client.GetAsync("/"))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("This studio is unavailable", body);
            Assert.Contains("switched off", body);
            Assert.DoesNotContain("Hidden Brand", body);
            Assert.False(response.Headers.Contains("Retry-After"));
        }
        Assert.DoesNotContain(Factory.Shells.ActiveShells, s => s.Record.Name == tenant.Name);

        await Factory.Get<TenantService>().SetEnabledAsync(tenant.Name, true);
        Assert.Contains("Hidden Brand", await GetStringAsync(tenant.Client, "/"));
    }

    [Fact]
    public async Task Initializing_tenant_answers_503_with_retry_after()
    {
        var name = NewName();
        var record = await Factory.Get<ITenantStore>().CreateAsync(new TenantRecord
        {
            Name = name,
            DisplayName = "Being Built",
            State = TenantState.Initializing,
            Hosts = [$"{name}.test"],
        });
        Factory.Shells.Apply(record);

        using var response = await Factory.ClientFor($"{name}.test").GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(TenantMiddleware.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Contains("This studio is starting", body);
        Assert.DoesNotContain("Being Built", body);
        Assert.Equal(0, Factory.Shells.ActiveShells.Count(s => s.Record.Name == name));

        // Once set up, it serves.
        Factory.Shells.Apply(await Factory.Get<ITenantStore>().UpdateAsync(record with { State = TenantState.Running }));
        Assert.Contains("Being Built", await GetStringAsync(Factory.ClientFor($"{name}.test"), "/"));
    }

    [Fact]
    public async Task Default_tenant_cannot_be_disabled_or_removed()
    {
        var service = Factory.Get<TenantService>();
        var disable = await Assert.ThrowsAsync<TenantValidationException>(() => service.SetEnabledAsync(TenantContext.DefaultName, false));
        Assert.Contains("The Default tenant cannot be disabled.", disable.Errors);
        var remove = await Assert.ThrowsAsync<TenantValidationException>(() => service.RemoveAsync(TenantContext.DefaultName));
        Assert.Contains("The Default tenant cannot be removed.", remove.Errors);
        Assert.Contains("Welcome to Studio", await GetStringAsync(Factory.ClientFor("localhost"), "/"));
    }
}
