using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Studio.Events;

/// <summary>Registers event handlers in a tenant's container (from a feature startup).</summary>
public static class EventServiceCollectionExtensions
{
    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> (scoped) to <typeparamref name="TEvent"/>. The handler's identity
    /// for delivery tracking is its full type name, so keep it stable.
    /// </summary>
    public static IServiceCollection AddEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : class
        where THandler : class, IEventHandler<TEvent>
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new EventSubscription(EventNames.Of(typeof(TEvent)), typeof(TEvent), typeof(THandler)));
        return services;
    }
}

/// <summary>One handler subscribed to one event type in a tenant's container; read by the host's dispatcher.</summary>
/// <param name="EventName">The event's stable name.</param>
/// <param name="EventType">The CLR type its JSON payload is read into.</param>
/// <param name="HandlerType">The <see cref="IEventHandler{TEvent}"/> implementation (resolved per delivery in a new scope).</param>
public sealed record EventSubscription(string EventName, Type EventType, Type HandlerType)
{
    /// <summary>The key delivery is tracked under for this handler.</summary>
    public string HandlerKey => HandlerType.FullName ?? HandlerType.Name;
}

/// <summary>Reads <see cref="EventNameAttribute"/>.</summary>
public static class EventNames
{
    /// <summary>The stable name of <paramref name="eventType"/>.</summary>
    /// <exception cref="InvalidOperationException">The type has no <see cref="EventNameAttribute"/>.</exception>
    public static string Of(Type eventType) =>
        eventType.GetCustomAttribute<EventNameAttribute>()?.Name
        ?? throw new InvalidOperationException($"Event type {eventType.FullName} needs an [EventName(\"...\")] attribute.");
}
