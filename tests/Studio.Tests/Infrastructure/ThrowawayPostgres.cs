using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Studio.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own (initdb into a temp folder, pg_ctl on a free port), so a test can stop
/// and restart it. Runs as the <c>postgres</c> OS user when the tests run as root (PostgreSQL refuses root).
/// </summary>
public sealed class ThrowawayPostgres : IDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;

    private ThrowawayPostgres(string bin)
    {
        _bin = bin;
        _root = Path.Combine(Path.GetTempPath(), "studio-pg-" + Guid.NewGuid().ToString("N")[..12]);
        _data = Path.Combine(_root, "data");
        Port = FreePort();
    }

    /// <summary>The folder of PostgreSQL's server binaries (newest installed version), or null when absent.</summary>
    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return null;
        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    public int Port { get; }

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=5";

    /// <summary>Creates the cluster and starts it.</summary>
    public static async Task<ThrowawayPostgres> StartAsync(string bin)
    {
        var server = new ThrowawayPostgres(bin);
        Directory.CreateDirectory(server._root);
        if (IsRoot)
            await RunAsync("chown", "-R", "postgres:postgres", server._root);
        await server.PgAsync("initdb", "-D", server._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        await server.StartAsync();
        return server;
    }

    public Task StartAsync() => PgAsync("pg_ctl", "-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off", "start");

    /// <summary>Stops the server as a crash would (no clean shutdown).</summary>
    public Task StopImmediateAsync() => PgAsync("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop");

    public void Dispose()
    {
        try { PgAsync("pg_ctl", "-D", _data, "-m", "immediate", "-w", "stop").GetAwaiter().GetResult(); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string tool, params string[] arguments) =>
        IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout} {await stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
