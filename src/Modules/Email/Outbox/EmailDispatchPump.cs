using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Modules.Email.Settings;

namespace Studio.Modules.Email.Outbox;

/// <summary>
/// Runs the dispatcher while the tenant is active: every poll interval, and at once when a message is queued
/// outside a transaction. Tenants are activated lazily and released when idle, so mail of an inactive tenant
/// waits until its next activation — the outbox keeps it. One pump per tenant activation; it stops with the
/// tenant's container.
/// </summary>
public sealed class EmailDispatchPump(IServiceProvider services, EmailSettings settings, TimeProvider clock, ILogger<EmailDispatchPump> logger)
    : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private Task? _loop;

    /// <summary>True when the settings turn it on (a positive poll interval).</summary>
    public bool Enabled => settings.PollInterval > TimeSpan.Zero;

    /// <summary>Starts the loop (once).</summary>
    public void Start()
    {
        if (Enabled && _loop is null)
            _loop = Task.Run(RunAsync);
    }

    /// <summary>Asks for a round now (a message was just queued).</summary>
    public void Nudge()
    {
        if (_loop is null)
            return;
        try { _nudge.Release(); }
        catch (SemaphoreFullException) { } // a round is already asked for
        catch (ObjectDisposedException) { }
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using (var scope = services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<EmailDispatcher>().DispatchAsync(cancellationToken: token);
                await _nudge.WaitAsync(settings.PollInterval, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // the tenant's container is gone
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                // Stopping (tenant released or host shutting down): a database or provider call cut short may
                // surface as its own exception type rather than a cancellation. The rows stay queued.
                return;
            }
            catch (Exception e)
            {
                // A busy or unreachable database: the rows stay queued; try again next round.
                logger.LogWarning(e, "Email dispatch round failed; retrying in {Interval}", settings.PollInterval);
                try { await Task.Delay(settings.PollInterval, clock, token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Stops the loop and waits for the current round.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
            await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _nudge.Dispose();
    }
}
