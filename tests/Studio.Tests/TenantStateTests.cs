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

    [Theory]
    [InlineData(TenantState.Initializing)]
    [InlineData(TenantState.Uninitialized)]
    public async Task Tenant_not_set_up_yet_answers_503_with_retry_after(TenantState state)
    {
        var name = NewName();
        var record = await Factory.Get<ITenantStore>().CreateAsync(new TenantRecord
        {
            Name = name,
            DisplayName = "Being Built",
            State = state,
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
        Assert.Equal(state, (await Factory.Get<ITenantStore>().FindAsync(name))!.State); // answering did not change it

        // Once set up, it serves.
        Factory.Shells.Apply(await Factory.Get<ITenantStore>().UpdateAsync(record with { State = TenantState.Running }));
        Assert.Contains("Being Built", await GetStringAsync(Factory.ClientFor($"{name}.test"), "/"));
    }

    [Fact]
    public async Task A_tenant_whose_activation_fails_can_be_disabled_without_being_activated()
    {
        // Running, never activated: its migration would fail on its first activation.
        var tenant = await CreateTenantAsync([Probe.ProbeFeatures.ThrowingMigration]);
        var activations = Factory.Get<ShellFactory>().Activations;

        var saved = await Factory.Get<TenantService>().SetEnabledAsync(tenant.Name, false);

        Assert.Equal(TenantState.Disabled, saved.State);
        Assert.Null(saved.Error);
        Assert.Equal(TenantState.Disabled, (await Factory.Get<ITenantStore>().FindAsync(tenant.Name))!.State);
        Assert.Equal(activations, Factory.Get<ShellFactory>().Activations); // switching it off did not start it
        await GetStringAsync(tenant.Client, "/", HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task An_edit_of_a_tenant_whose_activation_fails_on_a_migration_is_saved_and_the_failure_stays_recorded()
    {
        ExpectLog(typeof(ShellHost).FullName!, Microsoft.Extensions.Logging.LogLevel.Error,
            @"^Tenant t[0-9a-f]+ was disabled: Migration 1 of feature 'Tests\.ThrowingMigration' failed: ");
        var tenant = await CreateTenantAsync([Probe.ProbeFeatures.ThrowingMigration]);
        var service = Factory.Get<TenantService>();

        // Saving activates the tenant to tell its observers; that fails and disables it under the edit.
        var saved = await service.UpdateAsync(tenant.Name, null, t => t with { DisplayName = "Renamed While Broken" });

        Assert.Equal("Renamed While Broken", saved.DisplayName);
        Assert.Equal(TenantState.Disabled, saved.State);
        Assert.Contains("Migration 1 of feature 'Tests.ThrowingMigration' failed", saved.Error);
        var stored = (await Factory.Get<ITenantStore>().FindAsync(tenant.Name))!;
        Assert.Equal(saved.Version, stored.Version);
        Assert.Equal("Renamed While Broken", stored.DisplayName);

        // And it can still be edited and switched off afterwards.
        await service.UpdateAsync(tenant.Name, saved.Version, t => t with { DisplayName = "Renamed Again" });
        var disabled = await service.SetEnabledAsync(tenant.Name, false);
        Assert.Equal(TenantState.Disabled, disabled.State);
        Assert.Equal("Renamed Again", disabled.DisplayName);
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
