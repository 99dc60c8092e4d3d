using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// Expires holds past their time while the tenant is active (every <see cref="Interval"/>, default one minute,
/// tenant setting <c>Bookings:HoldSweepSeconds</c>; 0 turns it off). Correctness never depends on it: every
/// booking transaction expires stale holds first and availability ignores them — the sweep just frees the rows
/// and records the expiry promptly. One per tenant activation; it stops with the tenant's container.
/// </summary>
public sealed class HoldExpirySweep(IServiceProvider services, TimeSpan interval, TimeProvider clock, ILogger<HoldExpirySweep> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public TimeSpan Interval { get; } = interval;

    public void Start()
    {
        if (Interval > TimeSpan.Zero && _loop is null)
            _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, token);
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IBookingEngine>().ExpireHoldsAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }
            catch (ObjectDisposedException) { return; } // the tenant's container is gone
            catch (Exception) when (token.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // A busy or unreachable database: holds stay until the next round (and booking writes expire them).
                logger.LogWarning(e, "Hold expiry sweep failed; retrying in {Interval}", Interval);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }
}
