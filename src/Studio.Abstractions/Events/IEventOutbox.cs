using System.Data.Common;

namespace Studio.Events;

/// <summary>
/// The current tenant's transactional outbox for domain events (host level, every tenant). Publishing writes the
/// event into the tenant's own database inside the caller's transaction, so the event exists exactly when the
/// change that raised it commits. A background dispatcher of the tenant then delivers it, at least once and with
/// retries, to every <see cref="IEventHandler{TEvent}"/> registered by the tenant's enabled features.
/// </summary>
public interface IEventOutbox
{
    /// <summary>
    /// Writes <paramref name="event"/> inside <paramref name="transaction"/> (opened on the tenant's database by the
    /// caller). The event type must carry <see cref="EventNameAttribute"/>. Returns the event's id.
    /// </summary>
    Task<Guid> PublishAsync<TEvent>(TEvent @event, DbTransaction transaction, CancellationToken cancellationToken = default)
        where TEvent : class;
}

/// <summary>
/// Handles one kind of event. Register with <see cref="EventServiceCollectionExtensions.AddEventHandler{TEvent,THandler}"/>
/// in a feature startup; it then receives the events of the tenants where that feature is enabled. Delivery is at
/// least once: a handler that throws is called again later (with backoff), and one that succeeded is not called
/// again for that event — but a crash between its work and the record of success repeats it, so handlers must be
/// idempotent (use <see cref="EventContext.EventId"/>, e.g. as an e-mail's id).
/// </summary>
public interface IEventHandler<in TEvent> where TEvent : class
{
    /// <summary>Handles the event; throw to have it retried.</summary>
    Task HandleAsync(TEvent @event, EventContext context, CancellationToken cancellationToken);
}

/// <summary>About one delivery of an event.</summary>
/// <param name="EventId">Stable id of the event (the same on every retry).</param>
/// <param name="EventName">Its <see cref="EventNameAttribute"/> name.</param>
/// <param name="OccurredUtc">When it was published (UTC).</param>
/// <param name="Attempt">1 for the first delivery to this handler, then 2, 3…</param>
public sealed record EventContext(Guid EventId, string EventName, DateTime OccurredUtc, int Attempt);

/// <summary>
/// The stable name an event is stored and routed under, e.g. <c>bookings.booking-confirmed.v1</c>. Renaming the
/// CLR type never breaks stored events; a breaking change to the payload gets a new name (…v2).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EventNameAttribute(string name) : Attribute
{
    /// <summary>The stable name.</summary>
    public string Name { get; } = name;
}
