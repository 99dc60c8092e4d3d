using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Studio.Tenancy;

namespace Studio.Host.Events;

/// <summary>
/// Runs the tenant's <see cref="EventDispatcher"/> while the tenant is active, every
/// <see cref="StudioEventsOptions.PollInterval"/>. Started by the shell factory once the container is built, one per
/// activation; it stops quietly when the container is disposed (events of an inactive tenant wait in its database
/// until its next activation).
/// </summary>
public sealed class EventDispatchPump(IServiceProvider services, EventRegistry registry, IOptions<StudioOptions> options, TenantContext tenant,
    TimeProvider clock, ILogger<EventDispatchPump> logger) : IAsyncDisposable
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private TimeSpan Interval => options.Value.Events.PollInterval;

    /// <summary>
    /// True when the settings turn it on (a positive poll interval) and the tenant's features subscribe a handler: a
    /// tenant without any has nothing to deliver, and its database is left alone. (Deliveries left for handlers it
    /// no longer has are skipped by its next activation that has some.)
    /// </summary>
    public bool Enabled => Interval > TimeSpan.Zero && registry.HandlerKeys.Count > 0;

    /// <summary>Starts the loop (once).</summary>
    public void Start()
    {
        if (Enabled && _loop is null)
            _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var first = true;
        var lastPurge = DateTimeOffset.MinValue;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using (var scope = services.CreateAsyncScope())
                {
                    var dispatcher = scope.ServiceProvider.GetRequiredService<EventDispatcher>();
                    if (first)
                    {
                        await dispatcher.RefreshDeadLettersAsync(token);
                        first = false;
                    }
                    await dispatcher.DispatchAsync(cancellationToken: token);
                    if (clock.GetUtcNow() - lastPurge >= PurgeEvery)
                    {
                        await dispatcher.PurgeAsync(token);
                        lastPurge = clock.GetUtcNow();
                    }
                }
                await Task.Delay(Interval, clock, token);
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
                // Stopping (tenant released or host shutting down): a database call cut short may surface as its
                // own exception type. Claimed deliveries were given back; the rest stay due.
                return;
            }
            catch (Exception e)
            {
                // A busy or unreachable database: the deliveries stay due; try again next round.
                logger.LogWarning(e, "Event dispatch round of tenant {Tenant} failed; retrying in {Interval}", tenant.Name, Interval);
                try { await Task.Delay(Interval, clock, token); }
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
    }
}

/// <summary>
/// Host singleton: how many event deliveries each tenant has dead-lettered, as its dispatcher last counted
/// (refreshed at activation and whenever one dies). Shown by <c>/health/ready</c>.
/// </summary>
public sealed class EventDeadLetters
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="tenant"/>'s count.</summary>
    public void Set(string tenant, int count)
    {
        if (count > 0)
            _counts[tenant] = count;
        else
            _counts.TryRemove(tenant, out _);
    }

    /// <summary>Tenants with dead letters, by name.</summary>
    public IReadOnlyDictionary<string, int> Snapshot() =>
        _counts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);
}
