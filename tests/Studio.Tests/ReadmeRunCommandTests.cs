using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// The README's first command, as a newcomer runs it: <c>dotnet run --project src/Studio.Host</c> in a real process,
/// listening where the standard <c>ASPNETCORE_URLS</c> says, with the demo studio on <c>demo.localhost</c> (any port)
/// and the operator's site on localhost — and nothing logged at warning level or above.
/// </summary>
public sealed class ReadmeRunCommandTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Run_command_serves_the_platform_and_the_demo_studio_on_ASPNETCORE_URLS()
    {
        using var data = new TestDatabase();
        var port = FreePort();
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", Configuration, "--project", Path.Combine(root, "src", "Studio.Host")])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Studio__DataPath"] = data.DataPath;
        start.Environment["Studio__Postgres"] = data.PostgresConnectionString ?? "";
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.ResultAsync(async () =>
            {
                Assert.False(process.HasExited, "the host exited at start-up:\n" + Snapshot(output));
                try { return (await http.GetAsync("health/ready")).StatusCode; }
                catch (HttpRequestException) { return (HttpStatusCode)0; }
            }, status => status == HttpStatusCode.OK, "the host answers /health/ready on ASPNETCORE_URLS", TimeSpan.FromSeconds(90));

            var demo = await GetAsync(http, $"demo.localhost:{port}");
            Assert.Contains("data-theme=\"Midnight\"", demo);
            Assert.Contains("Blue Room Recording", demo);
            var operatorSite = await GetAsync(http, $"localhost:{port}");
            Assert.Contains("data-theme=\"Aurora\"", operatorSite);
            Assert.DoesNotContain("Blue Room Recording", operatorSite);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var log = Snapshot(output);
        Assert.Contains($"http://127.0.0.1:{port}", log);
        var bad = log.Split('\n').Where(l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal)
            || l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(bad.Count == 0, "The host logged warnings or errors:\n" + log);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    private static async Task<string> GetAsync(HttpClient http, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET / on {host}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Studio.sln")))
                return folder.FullName;
        throw new InvalidOperationException("Studio.sln not found above " + AppContext.BaseDirectory);
    }
}
