using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// One activation of a tenant: its container, its pipeline and the record they were built from. Requests take a
/// lease; a released shell serves the requests already inside it and is disposed when the last one leaves.
/// </summary>
public sealed class TenantShell
{
    private int _leases;
    private int _released;
    private int _disposed;
    private long _lastUsedTicks;

    internal TenantShell(TenantRecord record, TenantContext context, ServiceProvider services, RequestDelegate pipeline, long generation)
    {
        KeyRing = services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>();
        Record = record;
        Context = context;
        Services = services;
        Pipeline = pipeline;
        Generation = generation;
        LogScope = new TenantLogScope(record.Name);
        Touch();
    }

    /// <summary>The record this activation was built from.</summary>
    public TenantRecord Record { get; }

    /// <summary>What modules see of the tenant.</summary>
    public TenantContext Context { get; }

    /// <summary>The tenant's own container.</summary>
    public ServiceProvider Services { get; }

    /// <summary>The root of the tenant's own Data Protection key ring (cached for this activation).</summary>
    public Microsoft.AspNetCore.DataProtection.IDataProtectionProvider KeyRing { get; }

    /// <summary>The logging scope of this tenant's requests.</summary>
    public TenantLogScope LogScope { get; }

    /// <summary>The tenant's own middleware, ending in the host's routing.</summary>
    public RequestDelegate Pipeline { get; }

    /// <summary>Increases with every activation in this process; tells two activations apart.</summary>
    public long Generation { get; }

    /// <summary>True once released: no new request enters.</summary>
    public bool IsReleased => Volatile.Read(ref _released) == 1;

    /// <summary>True once its container has been disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>Requests currently inside.</summary>
    public int ActiveRequests => Volatile.Read(ref _leases);

    /// <summary>Last time a request entered (UTC ticks).</summary>
    public DateTime LastUsedUtc => new(Volatile.Read(ref _lastUsedTicks), DateTimeKind.Utc);

    /// <summary>Enters the shell; false when it has been released (the caller fetches the new one).</summary>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref _leases);
        if (IsReleased)
        {
            Leave();
            return false;
        }
        Touch();
        return true;
    }

    /// <summary>Leaves the shell; the last request out of a released shell disposes it.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && IsReleased)
            DisposeOnce();
    }

    /// <summary>Stops new requests from entering; disposes now if no request is inside.</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1)
            return;
        if (Volatile.Read(ref _leases) == 0)
            DisposeOnce();
    }

    private void Touch() => Volatile.Write(ref _lastUsedTicks, DateTime.UtcNow.Ticks);

    /// <summary>Completes (or faults with what disposal threw) when the shell's container has been disposed (after <see cref="Release"/> and the last request out).</summary>
    public Task Disposed => _disposedSignal.Task;

    private readonly TaskCompletionSource _disposedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void DisposeOnce()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            // Not awaited here: the caller is the last request out (or a release on the change path). Disposal
            // stops the tenant's background work (e.g. its mail pump); ShellHost awaits it when the host stops.
            _ = DisposeServicesAsync();
    }

    private async Task DisposeServicesAsync()
    {
        try
        {
            await Services.DisposeAsync();
            _disposedSignal.TrySetResult();
        }
        catch (Exception e)
        {
            _disposedSignal.TrySetException(e);
        }
    }
}
