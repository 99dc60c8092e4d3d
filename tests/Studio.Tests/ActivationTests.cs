using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>Lazy activation under concurrency, and live reload with requests in flight.</summary>
public sealed class ActivationTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Probe = [ProbeFeatures.Probe];

    private int ActivationLogs(string tenant) => TestLogs.Count(e =>
        e.Category == typeof(ShellFactory).FullName && e.Level == LogLevel.Information
        && e.Message.StartsWith($"Activated tenant {tenant} ", StringComparison.Ordinal));

    [Fact]
    public async Task Hundred_parallel_first_requests_activate_the_tenant_once()
    {
        var tenant = await CreateTenantAsync(Probe);
        Assert.DoesNotContain(Factory.Shells.ActiveShells, s => s.Record.Name == tenant.Name); // lazy: not yet active
        Assert.Equal(0, ActivationLogs(tenant.Name));

        var activationsBefore = Factory.Get<ShellFactory>().Activations;
        // Enough threads that the 100 first requests really do arrive together, not a few at a time.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 110), io);
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await tenant.Client.GetAsync("probe/info");
            return (response.StatusCode, Report: response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ProbeReport>() : null);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(requests);
        ThreadPool.SetMinThreads(workers, io);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(results.Select(r => r.Report!.Generation).Distinct());
        Assert.All(results, r => Assert.Equal(tenant.Name, r.Report!.Tenant));
        Assert.Equal(1, ActivationLogs(tenant.Name));
        Assert.Equal(activationsBefore + 1, Factory.Get<ShellFactory>().Activations);
        Assert.Single(Factory.Shells.ActiveShells, s => s.Record.Name == tenant.Name);
    }

    [Fact]
    public async Task Feature_toggle_reloads_live_while_a_request_in_flight_finishes_on_the_old_activation()
    {
        var tenant = await CreateTenantAsync(Probe);
        var before = await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info");
        await GetStringAsync(tenant.Client, "hello", HttpStatusCode.NotFound);

        // A slow request enters the current activation and waits at the gate.
        var key = Guid.NewGuid().ToString("N");
        var gate = ProbeGates.For(key);
        var slow = tenant.Client.GetAsync($"probe/wait/{key}");
        var oldShell = await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(before!.Generation, oldShell.Generation);

        // Toggle a feature: the next request sees it, without restart.
        await ChangeFeaturesAsync(tenant.Name, ["Studio.Hello"], []);
        await GetStringAsync(tenant.Client, "hello");
        var after = await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info");
        Assert.True(after!.Generation > before.Generation, $"expected a new activation, got {after.Generation} after {before.Generation}");
        Assert.NotEqual(before.Version, after.Version);

        // The old activation is released but alive while its request is inside.
        Assert.True(oldShell.IsReleased);
        Assert.False(oldShell.IsDisposed);
        Assert.Equal(1, oldShell.ActiveRequests);
        Assert.NotNull(oldShell.Services.GetService<TenantContext>());
        Assert.False(slow.IsCompleted);

        gate.Open();
        using var response = await slow.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var finished = await response.Content.ReadFromJsonAsync<ProbeReport>();
        Assert.Equal(before.Generation, finished!.Generation);
        Assert.Equal(before.Version, finished.Version);

        // The last request out disposes the old container.
        await Eventually.TrueAsync(() => oldShell.IsDisposed, "the released shell is disposed after its last request");
        Assert.Throws<ObjectDisposedException>(() => oldShell.Services.GetService<TenantContext>());
        Assert.Equal(0, oldShell.ActiveRequests);
    }

    [Fact]
    public async Task Released_shell_without_requests_is_disposed_at_once()
    {
        var tenant = await CreateTenantAsync(Probe);
        await GetStringAsync(tenant.Client, "probe/info");
        var shell = Assert.Single(Factory.Shells.ActiveShells, s => s.Record.Name == tenant.Name);

        Factory.Get<TenantService>().Reload(tenant.Name);
        Assert.True(shell.IsReleased);
        Assert.True(shell.IsDisposed);
        var next = await tenant.Client.GetFromJsonAsync<ProbeReport>("probe/info");
        Assert.True(next!.Generation > shell.Generation);
    }

    [Fact]
    public async Task Settings_change_applies_to_the_next_request()
    {
        var tenant = await CreateTenantAsync(["Studio.Hello"]);
        Assert.DoesNotContain("Fresh headline", await GetStringAsync(tenant.Client, "hello"));
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null,
            t => t with { SettingsJson = """{"Hello":{"Headline":"Fresh headline"}}""" });
        Assert.Contains("<h1>Fresh headline</h1>", await GetStringAsync(tenant.Client, "hello"));
    }
}
