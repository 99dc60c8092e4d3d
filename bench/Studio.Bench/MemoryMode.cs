using System.Diagnostics;
using Studio.Host.Tenancy;

namespace Studio.Bench;

/// <summary>
/// Retained managed memory of registered, inactive tenants: the records are saved to the real platform store
/// (SQLite), then loaded the way start-up loads them (store → <see cref="ShellHost.Load"/> → <see cref="TenantTable"/>),
/// and the managed heap is compared, after full collections, before and after.
/// </summary>
internal static class MemoryMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        // The change watcher would pick the saved records up too (one table rebuild per record); this measurement
        // is about the table start-up loads, so it is kept out of the way.
        await using var host = await BenchHost.StartAsync(postgres: null,
            new Dictionary<string, string?> { ["Studio:ChangePollInterval"] = "1.00:00:00" });
        var store = host.Services.GetRequiredService<ITenantStore>();
        var shells = host.Services.GetRequiredService<ShellHost>();

        var started = Stopwatch.GetTimestamp();
        foreach (var record in BenchTenants.CreateAll(count).Skip(1)) // the host created the Default tenant
            await store.CreateAsync(record);
        Console.WriteLine($"saved {count:N0} tenants to the platform store in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");

        // One load first, thrown away, so one-off caches (Dapper, JSON metadata, connection pool) are not counted.
        var defaultOnly = shells.Table.ByName.Values.Where(t => t.IsDefault).ToList();
        await LoadFromStoreAsync(store, shells);
        shells.Load(defaultOnly);

        var before = Settle();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        started = Stopwatch.GetTimestamp();
        await LoadFromStoreAsync(store, shells);
        var loadTime = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var after = Settle();

        var registered = shells.Table.ByName.Count - 1;
        if (registered != count)
            throw new InvalidOperationException($"Expected {count} tenants in the table, found {registered}.");
        var retained = after - before;
        Console.WriteLine($"tenants registered (inactive): {registered:N0}; active shells: {shells.ActiveShells.Count()}");
        Console.WriteLine($"load from store into the tenant table: {loadTime.TotalMilliseconds:F0} ms, {allocated / 1024.0 / 1024.0:F1} MB allocated");
        Console.WriteLine($"retained managed memory: {retained / 1024.0 / 1024.0:F2} MB = {retained / (double)count:F0} bytes per tenant " +
                          $"({retained / (double)count / 1024:F2} KB; target <= 10 KB)");
        GC.KeepAlive(shells);
        return 0;
    }

    /// <summary>
    /// Start-up's load. A method of its own so that nothing but the table keeps the records: an awaiter left in
    /// the caller's frame would hold the store's answer and make it look free (or retained) when it is not.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task LoadFromStoreAsync(ITenantStore store, ShellHost shells)
    {
        var changes = await store.ChangesSinceAsync(0);
        shells.Load(changes.Changed);
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
