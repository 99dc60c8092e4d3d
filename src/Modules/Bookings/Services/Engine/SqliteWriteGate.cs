namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// One booking write at a time per tenant on this instance, waited for asynchronously (singleton of the tenant's
/// container). On SQLite a write transaction is <c>BEGIN IMMEDIATE</c>, and a writer waiting for the lock sleeps
/// inside SQLite's busy handler, holding its thread: a hundred clients racing for one slot would tie up a hundred
/// thread-pool threads and stall every other request of the process. Queuing here first keeps the wait off the
/// threads; <c>BEGIN IMMEDIATE</c> still serialises writers across processes. PostgreSQL does not use it: there, only
/// overlapping bookings wait, in the database.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Waits for the gate; dispose the result to let the next writer in.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
                gate.Release();
        }
    }
}
