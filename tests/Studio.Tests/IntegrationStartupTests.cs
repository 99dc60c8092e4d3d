using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>
/// A startup with <c>[RequireFeatures]</c> (the probe's Hello integration) runs only where every feature it needs
/// is enabled: its services and endpoints are absent everywhere else, and appear live when the last one is enabled.
/// </summary>
public sealed class IntegrationStartupTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task<bool> HasIntegrationServiceAsync(string tenant)
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[tenant], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            return scope.ServiceProvider.GetService<ProbeHelloIntegration>() is not null;
        }
        finally { shell.Leave(); }
    }

    [Fact]
    public async Task Integration_runs_only_where_both_features_are_enabled()
    {
        var probeOnly = await CreateTenantAsync([ProbeFeatures.Probe]);
        var helloOnly = await CreateTenantAsync(["Studio.Hello"]);
        var both = await CreateTenantAsync([ProbeFeatures.Probe, "Studio.Hello"]);

        await GetStringAsync(probeOnly.Client, "probe/with-hello", HttpStatusCode.NotFound);
        await GetStringAsync(helloOnly.Client, "probe/with-hello", HttpStatusCode.NotFound);
        Assert.Contains("\"greetings\":0", await GetStringAsync(both.Client, "probe/with-hello"));
        Assert.False(await HasIntegrationServiceAsync(probeOnly.Name));
        Assert.False(await HasIntegrationServiceAsync(helloOnly.Name));
        Assert.True(await HasIntegrationServiceAsync(both.Name));

        // Enabling the missing feature switches the integration on, live.
        await ChangeFeaturesAsync(probeOnly.Name, ["Studio.Hello"], []);
        Assert.Contains("\"greetings\":0", await GetStringAsync(probeOnly.Client, "probe/with-hello"));
        Assert.True(await HasIntegrationServiceAsync(probeOnly.Name));
    }
}
