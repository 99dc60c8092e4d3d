using System.Diagnostics;
using System.Net;
using Studio.Host.Tenancy;

namespace Studio.Bench;

/// <summary>
/// Cold activation through the real host: N tenants with Studio.Hello are created through
/// <see cref="TenantService"/> (no recipe, so none is activated during creation; released anyway to be sure),
/// then the first request of each is timed over HTTP on loopback: database created and migrated, container
/// built, home page rendered. A second pass releases them all and times the next first request again, when
/// the migrations are only checked. Runs on SQLite, and on PostgreSQL when <c>Studio__Postgres</c> is set.
/// </summary>
internal static class ActivationMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
        await RunAsync(postgres: null, count);
        var postgres = Environment.GetEnvironmentVariable("Studio__Postgres");
        if (!string.IsNullOrWhiteSpace(postgres))
            await RunAsync(postgres, count);
        else
            Console.WriteLine("(PostgreSQL skipped: set Studio__Postgres to a connection string to measure it too)");
        return 0;
    }

    private static async Task RunAsync(string? postgres, int count)
    {
        await using var host = await BenchHost.StartAsync(postgres);
        var tenants = host.Services.GetRequiredService<TenantService>();
        var shells = host.Services.GetRequiredService<ShellHost>();
        var factory = host.Services.GetRequiredService<ShellFactory>();
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };

        // The host's own first activation (the Default tenant) pays for JIT and Razor's first view lookups once,
        // as any running host already has; a tenant's activation is what is measured.
        var warmUp = Stopwatch.GetTimestamp();
        await GetAsync(client, "localhost", 0);
        var warmUpMs = Stopwatch.GetElapsedTime(warmUp).TotalMilliseconds;

        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = $"cold-{i:D3}";
            await tenants.CreateAsync(new TenantCreateRequest
            {
                Name = name,
                Hosts = [$"{name}.bench.localhost"],
                Features = ["Studio.Hello"],
                Theme = i % 2 == 0 ? "Aurora" : "Midnight",
                Brand = new Studio.Tenancy.BrandSettings { DisplayName = $"Cold Studio {i}", PrimaryColor = "#2f6fde" },
            });
            names.Add(name);
        }

        Console.WriteLine($"== {host.Engine}: cold activation of {count} tenants (first request of each: GET / over loopback HTTP)");
        Console.WriteLine($"   (not counted: the host's very first request, Default tenant, JIT and first view compilation included: {warmUpMs:F0} ms)");
        Report("first activation (create database, run migrations, build container, render)", await TimeFirstRequestsAsync(client, shells, factory, names));
        Report("re-activation after release (migrations checked, build container, render)", await TimeFirstRequestsAsync(client, shells, factory, names));
    }

    private static async Task<List<double>> TimeFirstRequestsAsync(HttpClient client, ShellHost shells, ShellFactory factory, List<string> names)
    {
        foreach (var name in names)
            shells.Release(name);
        var timings = new List<double>(names.Count);
        foreach (var name in names)
        {
            if (shells.ActiveShells.Any(s => s.Record.Name == name))
                throw new InvalidOperationException($"Tenant {name} is active before its timed request: not a cold activation.");
            var activations = factory.Activations;
            var started = Stopwatch.GetTimestamp();
            await GetAsync(client, $"{name}.bench.localhost", activations);
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (factory.Activations != activations + 1)
                throw new InvalidOperationException($"Tenant {name}: expected one activation, saw {factory.Activations - activations}.");
        }
        return timings;
    }

    private static async Task GetAsync(HttpClient client, string host, long activations)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("data-theme=", StringComparison.Ordinal))
            throw new InvalidOperationException($"GET / for {host} (after {activations} activations) answered {(int)response.StatusCode}, not the themed home page.");
    }

    private static void Report(string what, List<double> timings)
    {
        timings.Sort();
        double At(double q) => timings[Math.Clamp((int)Math.Ceiling(q * timings.Count) - 1, 0, timings.Count - 1)];
        Console.WriteLine($"   {what}:");
        Console.WriteLine($"      p50 {At(0.5),7:F1} ms   p90 {At(0.9),7:F1} ms   max {timings[^1],7:F1} ms   min {timings[0],7:F1} ms   (n={timings.Count}; target p50 <= 150 ms)");
    }
}
