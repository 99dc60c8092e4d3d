using System.Collections.Frozen;
using System.Reflection;
using Studio.Events;

namespace Studio.Host.Events;

/// <summary>
/// The event subscriptions of one tenant container (those its enabled features registered with
/// <see cref="EventServiceCollectionExtensions.AddEventHandler{TEvent,THandler}"/>), and when that container was
/// built. One per activation.
/// </summary>
public sealed class EventRegistry
{
    private readonly FrozenDictionary<string, EventSubscription[]> _byName;
    private readonly FrozenDictionary<string, EventSubscription> _byHandler;

    public EventRegistry(IEnumerable<EventSubscription> subscriptions, TimeProvider clock)
    {
        var all = subscriptions.DistinctBy(s => (s.EventName, s.HandlerKey)).ToList();
        _byName = all.GroupBy(s => s.EventName, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        // A handler key names one handler type; a handler subscribed to two events is tracked per event row.
        _byHandler = all.GroupBy(s => s.HandlerKey, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        HandlerKeys = [.. _byHandler.Keys.Order(StringComparer.Ordinal)];
        ActivatedUtc = clock.GetUtcNow();
    }

    /// <summary>When the container was built: deliveries created before that for a handler it lacks are skipped.</summary>
    public DateTimeOffset ActivatedUtc { get; }

    /// <summary>Every subscribed handler's key.</summary>
    public IReadOnlyList<string> HandlerKeys { get; }

    /// <summary>Handlers subscribed to <paramref name="eventName"/>.</summary>
    public IReadOnlyList<EventSubscription> For(string eventName) => _byName.TryGetValue(eventName, out var list) ? list : [];

    /// <summary>The subscription of <paramref name="handlerKey"/> to <paramref name="eventName"/>, if any.</summary>
    public EventSubscription? Find(string eventName, string handlerKey) =>
        For(eventName).FirstOrDefault(s => s.HandlerKey == handlerKey);

    /// <summary>Calls <paramref name="subscription"/>'s handler (resolved from <paramref name="services"/>).</summary>
    internal static async Task InvokeAsync(EventSubscription subscription, IServiceProvider services, object @event,
        EventContext context, CancellationToken cancellationToken)
    {
        var handler = services.GetRequiredService(subscription.HandlerType);
        var method = typeof(IEventHandler<>).MakeGenericType(subscription.EventType).GetMethod(nameof(IEventHandler<object>.HandleAsync))!;
        Task task;
        try
        {
            task = (Task)method.Invoke(handler, [@event, context, cancellationToken])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        await task;
    }
}
