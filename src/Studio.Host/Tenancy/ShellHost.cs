using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Studio.Host.Data;
using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// Keeps the tenant table and the active shells. A tenant is activated on its first request — once, however
/// many requests arrive together — and released when its record changes, when it has been idle too long, or
/// when too many tenants are active (least recently used first).
/// </summary>
public sealed class ShellHost(
    ShellFactory factory,
    IOptions<StudioOptions> options,
    IServiceProvider services,
    ILogger<ShellHost> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TenantShell>>> _shells = new(StringComparer.Ordinal);
    private readonly object _tableLock = new();
    private volatile TenantTable _table = TenantTable.Empty;

    /// <summary>The current tenant table (immutable snapshot).</summary>
    public TenantTable Table => _table;

    /// <summary>Shells currently active.</summary>
    public IEnumerable<TenantShell> ActiveShells => _shells.Values
        .Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully)
        .Select(l => l.Value.Result);

    /// <summary>Replaces every record (start-up).</summary>
    public void Load(IEnumerable<TenantRecord> tenants)
    {
        lock (_tableLock)
            _table = new TenantTable(tenants, options.Value.DefaultTenantHosts);
    }

    /// <summary>Finds the tenant of a request.</summary>
    public TenantRecord? Resolve(string host, int? port, ReadOnlySpan<char> path) => _table.Match(host, port, path);

    /// <summary>
    /// Records a saved tenant: updates the table and, when the version changed, releases the active shell so the
    /// next request builds a new one. Requests already inside the old shell finish there.
    /// </summary>
    public void Apply(TenantRecord tenant) => Apply([tenant], []);

    /// <summary>Forgets a removed tenant.</summary>
    public void Remove(string name) => Apply([], [name]);

    /// <summary>
    /// Applies a batch of saved and removed tenants with one rebuild of the table (a poll that brings thousands of
    /// changes must not rebuild a large table once per change). A record older than the one held is ignored: the
    /// watcher may read a record just before this instance saves a newer one.
    /// </summary>
    public void Apply(IReadOnlyCollection<TenantRecord> saved, IReadOnlyCollection<string> removed)
    {
        var changed = new List<string>();
        lock (_tableLock)
        {
            var byName = new Dictionary<string, TenantRecord>(_table.ByName, StringComparer.Ordinal);
            foreach (var tenant in saved)
            {
                if (byName.TryGetValue(tenant.Name, out var current)
                    && (current.Version == tenant.Version || current.Revision > tenant.Revision))
                    continue;
                byName[tenant.Name] = tenant;
                changed.Add(tenant.Name);
            }
            foreach (var name in removed)
                if (byName.Remove(name))
                    changed.Add(name);
            if (changed.Count == 0)
                return;
            _table = new TenantTable(byName.Values, options.Value.DefaultTenantHosts);
        }
        foreach (var name in changed)
            Release(name);
    }

    /// <summary>Releases a tenant's active shell, if any.</summary>
    public void Release(string name)
    {
        if (_shells.TryRemove(name, out var shell) && shell.IsValueCreated && shell.Value.IsCompletedSuccessfully)
        {
            shell.Value.Result.Release();
            logger.LogInformation("Released tenant {Tenant}", name);
        }
    }

    /// <summary>
    /// Returns the tenant's shell with a lease taken (call <see cref="TenantShell.Leave"/> when done), activating
    /// it if needed.
    /// </summary>
    /// <exception cref="Studio.Host.Data.MigrationException">Activation failed on a migration; the tenant was disabled.</exception>
    public async Task<TenantShell> AcquireAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _shells.GetOrAdd(tenant.Name, name => new Lazy<Task<TenantShell>>(
                () => ActivateAsync(name), LazyThreadSafetyMode.ExecutionAndPublication));
            TenantShell shell;
            try
            {
                shell = await lazy.Value.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed activation must not stick: the next request tries again (after the record changed).
                _shells.TryRemove(new KeyValuePair<string, Lazy<Task<TenantShell>>>(tenant.Name, lazy));
                throw;
            }

            var current = _table.ByName.GetValueOrDefault(tenant.Name);
            if (current is not null && current.Version != shell.Record.Version)
            {
                // Built from a record that changed meanwhile: drop it and build from the new one.
                _shells.TryRemove(new KeyValuePair<string, Lazy<Task<TenantShell>>>(tenant.Name, lazy));
                shell.Release();
                tenant = current;
                continue;
            }
            if (shell.TryAcquire())
                return shell;
        }
    }

    /// <summary>
    /// The tenant's shell with a lease taken if it is active now, else null — never activates it (for work that
    /// must not depend on the tenant being able to start, such as switching it off).
    /// </summary>
    public TenantShell? TryAcquireActive(string name) =>
        _shells.TryGetValue(name, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully
        && lazy.Value.Result is var shell && shell.TryAcquire() ? shell : null;

    /// <summary>
    /// When the host stops: releases every active shell and waits (bounded) for their containers to be disposed,
    /// so no tenant's background work outlives the host or touches its database after shutdown.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var shells = new List<TenantShell>();
        foreach (var name in _shells.Keys.ToList())
            if (_shells.TryRemove(name, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                shells.Add(lazy.Value.Result);
        foreach (var shell in shells)
            shell.Release();
        foreach (var shell in shells)
        {
            try
            {
                // A request still inside holds its shell until it ends; shutdown does not wait for it forever.
                await shell.Disposed.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Tenant {Tenant} was still busy when the host stopped", shell.Record.Name);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Tenant {Tenant} failed to stop cleanly", shell.Record.Name);
            }
        }
    }

    /// <summary>Releases shells idle for longer than the configured time.</summary>
    public int ReleaseIdle(DateTime nowUtc)
    {
        var idle = options.Value.IdleTimeout;
        var released = 0;
        foreach (var shell in ActiveShells.Where(s => s.ActiveRequests == 0 && nowUtc - s.LastUsedUtc > idle).ToList())
        {
            Release(shell.Record.Name);
            released++;
        }
        return released;
    }

    private async Task<TenantShell> ActivateAsync(string name)
    {
        var tenant = _table.ByName.GetValueOrDefault(name)
            ?? throw new InvalidOperationException($"Tenant '{name}' is not registered.");
        try
        {
            var shell = await factory.CreateAsync(tenant, CancellationToken.None);
            EnforceCap(name);
            return shell;
        }
        catch (MigrationException e)
        {
            await DisableAfterFailureAsync(tenant, e.Message);
            throw;
        }
    }

    private async Task DisableAfterFailureAsync(TenantRecord tenant, string error)
    {
        logger.LogError("Tenant {Tenant} was disabled: {Error}", tenant.Name, error);
        try
        {
            var store = services.GetRequiredService<ITenantStore>();
            var latest = await store.FindAsync(tenant.Name) ?? tenant;
            Apply(await store.UpdateAsync(latest with { State = TenantState.Disabled, Error = error }));
        }
        catch (Exception e) when (e is TenantConcurrencyException or System.Data.Common.DbException)
        {
            logger.LogError("Could not record the failure of tenant {Tenant}: {Message}", tenant.Name, e.Message);
        }
    }

    private void EnforceCap(string justActivated)
    {
        var excess = _shells.Count - options.Value.MaxActiveTenants;
        if (excess <= 0)
            return;
        foreach (var shell in ActiveShells
                     .Where(s => s.Record.Name != justActivated && !s.Record.IsDefault && s.ActiveRequests == 0)
                     .OrderBy(s => s.LastUsedUtc)
                     .Take(excess)
                     .ToList())
            Release(shell.Record.Name);
    }
}
