namespace Studio.Events;

/// <summary>
/// The current tenant's event deliveries as its owner (or the operator) sees them: what was delivered to which
/// handler, what is waiting for a retry, and what was given up (dead letters), which can be requeued once the cause
/// is fixed. Implemented by the host in every tenant container, next to <see cref="IEventOutbox"/>.
/// </summary>
public interface IEventDeliveries
{
    /// <summary>Deliveries, most recent events first; only those in <paramref name="status"/> (see <see cref="EventDeliveryStatus"/>) when given.</summary>
    Task<IReadOnlyList<EventDelivery>> ListAsync(string? status = null, int take = 100, CancellationToken cancellationToken = default);

    /// <summary>How many deliveries are dead-lettered.</summary>
    Task<int> CountDeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Gives dead-lettered deliveries (all, or one event's) a fresh set of attempts, due now; returns how many.</summary>
    Task<int> RetryDeadAsync(Guid? eventId = null, CancellationToken cancellationToken = default);
}

/// <summary>One event's delivery to one handler.</summary>
public sealed record EventDelivery(Guid EventId, string EventName, DateTime OccurredUtc, string HandlerKey, string Status,
    int Attempts, DateTime NextAttemptUtc, string? LastError, DateTime? DeliveredUtc);

/// <summary>Statuses of a delivery.</summary>
public static class EventDeliveryStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    public const string Pending = "pending";
    /// <summary>Claimed by a dispatcher until its lease ends.</summary>
    public const string Delivering = "delivering";
    /// <summary>The handler succeeded.</summary>
    public const string Delivered = "delivered";
    /// <summary>Given up after the last attempt (or the payload could not be read): someone has to decide.</summary>
    public const string Dead = "dead";
    /// <summary>The handler's feature was disabled before it was delivered: it gets nothing.</summary>
    public const string Skipped = "skipped";
}
