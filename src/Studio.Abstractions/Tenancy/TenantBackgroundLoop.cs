using Microsoft.Extensions.Logging;

namespace Studio.Tenancy;

/// <summary>
/// A piece of work repeated in the background while a tenant is active (a mail pump, the event dispatcher, a
/// sweep). Register the subclass as a singleton of the tenant's container and call <see cref="Start"/> once the
/// container is built: it lives and dies with that activation. A failed round is logged as a warning and retried
/// after <see cref="Interval"/>; stopping (tenant released, host shutting down) is quiet — whatever a round left
/// undone stays in the tenant's database for the next activation.
/// </summary>
public abstract class TenantBackgroundLoop(TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>The clock rounds are timed with (tests pass a fake one).</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>Time between rounds; zero or less turns the loop off.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What a round is, for the warning when one fails, e.g. "Email dispatch round".</summary>
    protected abstract string RoundName { get; }

    /// <summary>
    /// True to wait one <see cref="Interval"/> before the first round (a sweep or refresh that activation itself need
    /// not trigger); false (the default) to run a round at once (a pump with work waiting).
    /// </summary>
    protected virtual bool WaitBeforeFirstRound => false;

    /// <summary>True when the loop runs (by default: a positive <see cref="Interval"/>).</summary>
    public virtual bool Enabled => Interval > TimeSpan.Zero;

    /// <summary>Starts the loop (once; nothing when not <see cref="Enabled"/>).</summary>
    public void Start()
    {
        if (Enabled && _loop is null)
            _loop = Task.Run(RunAsync);
    }

    /// <summary>True once <see cref="Start"/> started the loop.</summary>
    protected bool Running => _loop is not null;

    /// <summary>One round of work.</summary>
    protected abstract Task RunRoundAsync(CancellationToken cancellationToken);

    /// <summary>Waits before the next round (by default <see cref="Interval"/>; a pump may also wake up early).</summary>
    protected virtual Task WaitAsync(CancellationToken cancellationToken) => Task.Delay(Interval, Clock, cancellationToken);

    private async Task RunAsync()
    {
        var token = _stop.Token;
        if (WaitBeforeFirstRound)
        {
            try { await Task.Delay(Interval, Clock, token); }
            catch (OperationCanceledException) { return; }
        }
        while (!token.IsCancellationRequested)
        {
            try
            {
                await RunRoundAsync(token);
                await WaitAsync(token);
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
                // Stopping: a database or provider call cut short may surface as its own exception type rather than
                // a cancellation. Nothing is lost: the work stays in the tenant's database.
                return;
            }
            catch (Exception e)
            {
                // A busy or unreachable database (or provider): the work stays due; try again next round.
                logger.LogWarning(e, "{Round} failed; retrying in {Interval}", RoundName, Interval);
                try { await Task.Delay(Interval, Clock, token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Stops the loop and waits for the current round.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
