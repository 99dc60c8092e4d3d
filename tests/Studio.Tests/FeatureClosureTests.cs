using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Studio.Host.Features;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>Enabling pulls dependencies in, disabling takes dependents along; both refused without force.</summary>
public sealed class FeatureClosureTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private FeatureManager Features => Factory.Get<FeatureManager>();

    [Fact]
    public async Task Enabling_a_dependent_is_refused_without_force_and_enables_both_with_force()
    {
        var tenant = await CreateTenantAsync();
        var before = await RecordAsync(tenant.Name);

        var refused = await Features.ChangeAsync(tenant.Name, [ProbeFeatures.Extra], [], force: false);
        Assert.False(refused.Succeeded);
        Assert.True(refused.NeedsForce);
        Assert.Equal([ProbeFeatures.Probe], refused.Plan!.Extra);
        Assert.Equal(before.Version, (await RecordAsync(tenant.Name)).Version); // nothing saved
        await GetStringAsync(tenant.Client, "probe/info", System.Net.HttpStatusCode.NotFound);

        var forced = await Features.ChangeAsync(tenant.Name, [ProbeFeatures.Extra], [], force: true);
        Assert.True(forced.Succeeded, forced.Error);
        var saved = await RecordAsync(tenant.Name);
        Assert.Contains(ProbeFeatures.Probe, saved.Features);
        Assert.Contains(ProbeFeatures.Extra, saved.Features);
        var report = await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info");
        Assert.True(report!.HasExtraService);
    }

    [Fact]
    public async Task Disabling_a_dependency_is_refused_without_force_and_disables_both_with_force()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe, ProbeFeatures.Extra]);
        Assert.True((await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.HasExtraService);

        var refused = await Features.ChangeAsync(tenant.Name, [], [ProbeFeatures.Probe], force: false);
        Assert.False(refused.Succeeded);
        Assert.True(refused.NeedsForce);
        Assert.Equal([ProbeFeatures.Extra], refused.Plan!.Extra);
        await GetStringAsync(tenant.Client, "probe/info");

        var forced = await Features.ChangeAsync(tenant.Name, [], [ProbeFeatures.Probe], force: true);
        Assert.True(forced.Succeeded, forced.Error);
        var saved = await RecordAsync(tenant.Name);
        Assert.DoesNotContain(ProbeFeatures.Probe, saved.Features);
        Assert.DoesNotContain(ProbeFeatures.Extra, saved.Features);
        await GetStringAsync(tenant.Client, "probe/info", System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Change_without_extra_features_needs_no_force()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        var result = await Features.ChangeAsync(tenant.Name, [ProbeFeatures.Extra], [], force: false);
        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.Plan!.Extra);
        result = await Features.ChangeAsync(tenant.Name, [], [ProbeFeatures.Extra], force: false);
        Assert.True(result.Succeeded, result.Error);
        Assert.False((await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info"))!.HasExtraService);
    }

    [Fact]
    public async Task Unknown_feature_id_is_refused_with_a_clear_message()
    {
        var tenant = await CreateTenantAsync();
        var e = await Assert.ThrowsAsync<FeatureChangeException>(() => Features.ChangeAsync(tenant.Name, ["Studio.DoesNotExist"], [], force: true));
        Assert.Equal("There is no feature 'Studio.DoesNotExist'.", e.Message);
        e = await Assert.ThrowsAsync<FeatureChangeException>(() => Features.ChangeAsync(tenant.Name, [], ["Nope.Either"], force: true));
        Assert.Contains("'Nope.Either'", e.Message);
    }

    [Fact]
    public async Task Always_enabled_features_are_on_everywhere_and_cannot_be_disabled()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        await GetStringAsync(tenant.Client, "probe/info");
        var shell = Assert.Single(Factory.Shells.ActiveShells, s => s.Record.Name == tenant.Name);
        Assert.True(shell.Context.IsFeatureEnabled(ProbeFeatures.Always));
        var e = await Assert.ThrowsAsync<FeatureChangeException>(() => Features.ChangeAsync(tenant.Name, [], [ProbeFeatures.Always], force: true));
        Assert.Equal($"The feature '{ProbeFeatures.Always}' is always enabled and cannot be disabled.", e.Message);
    }

    [Fact]
    public async Task Operator_only_features_are_refused_to_other_tenants()
    {
        var tenant = await CreateTenantAsync();
        var e = await Assert.ThrowsAsync<FeatureChangeException>(() => Features.ChangeAsync(tenant.Name, [ProbeFeatures.OperatorOnly], [], force: true));
        Assert.Equal($"The feature '{ProbeFeatures.OperatorOnly}' is only available to the platform operator.", e.Message);
        var refused = await Assert.ThrowsAsync<Studio.Host.Tenancy.TenantValidationException>(() => CreateTenantAsync([ProbeFeatures.OperatorOnly]));
        Assert.Contains($"The feature '{ProbeFeatures.OperatorOnly}' is only available to the platform operator.", refused.Errors);

        var result = await Features.ChangeAsync(Studio.Tenancy.TenantContext.DefaultName, [ProbeFeatures.OperatorOnly], [], force: false);
        Assert.True(result.Succeeded, result.Error);
        result = await Features.ChangeAsync(Studio.Tenancy.TenantContext.DefaultName, [], [ProbeFeatures.OperatorOnly], force: false);
        Assert.True(result.Succeeded, result.Error);
    }
}
