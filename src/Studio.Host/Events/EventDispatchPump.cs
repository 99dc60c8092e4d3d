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
    TimeProvider clock, ILogger<EventDispatchPump> logger) : TenantBackgroundLoop(clock, logger)
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);
    private bool _first = true;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    protected override TimeSpan Interval => options.Value.Events.PollInterval;

    protected override string RoundName => $"Event dispatch round of tenant {tenant.Name}";

    /// <summary>
    /// True when the settings turn it on (a positive poll interval) and the tenant's features subscribe a handler: a
    /// tenant without any has nothing to deliver, and its database is left alone. (Deliveries left for handlers it
    /// no longer has are skipped by its next activation that has some.)
    /// </summary>
    public override bool Enabled => base.Enabled && registry.HandlerKeys.Count > 0;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<EventDispatcher>();
        if (_first)
        {
            await dispatcher.RefreshDeadLettersAsync(cancellationToken);
            _first = false;
        }
        await dispatcher.DispatchAsync(cancellationToken: cancellationToken);
        if (Clock.GetUtcNow() - _lastPurge >= PurgeEvery)
        {
            await dispatcher.PurgeAsync(cancellationToken);
            _lastPurge = Clock.GetUtcNow();
        }
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
