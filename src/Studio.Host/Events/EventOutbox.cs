using System.Data.Common;
using System.Text.Json;
using Dapper;
using Studio.Data;
using Studio.Events;
using Studio.Tenancy;

namespace Studio.Host.Events;

/// <summary>
/// The tenant's event outbox (registered by the host in every tenant container). Publishing writes the event and
/// one pending delivery per handler subscribed in this container — inside the caller's transaction, so both exist
/// exactly when the caller's change commits. Delivery is <see cref="EventDispatcher"/>'s job.
/// </summary>
public sealed class EventOutbox(ITenantDatabase database, EventRegistry registry, TenantContext tenant, EventDeadLetters deadLetters, TimeProvider clock)
    : IEventOutbox, IEventDeliveries
{
    /// <summary>How payloads are stored (and read back by the dispatcher).</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public async Task<Guid> PublishAsync<TEvent>(TEvent @event, DbTransaction transaction, CancellationToken cancellationToken = default)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(@event);
        ArgumentNullException.ThrowIfNull(transaction);
        var connection = transaction.Connection
            ?? throw new InvalidOperationException("The transaction is no longer open: publish before committing it.");
        // The runtime type: a handler of a derived event type gets its own fields.
        var type = @event.GetType();
        var name = EventNames.Of(type);
        var id = Guid.NewGuid();
        var now = EventTime.Param(database.Dialect, clock.GetUtcNow());
        var eventId = id.ToString("D");
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {EventTables.Events} (event_id, name, payload, occurred_utc) VALUES (@eventId, @name, @payload, @now)",
            new { eventId, name, payload = JsonSerializer.Serialize(@event, type, Json), now }, transaction, cancellationToken: cancellationToken));
        foreach (var subscription in registry.For(name))
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO {EventTables.Deliveries} (event_id, handler_key, status, attempts, created_utc, next_attempt_utc)
                VALUES (@eventId, @handler, '{EventDeliveryStatus.Pending}', 0, @now, @now)
                """,
                new { eventId, handler = subscription.HandlerKey, now }, transaction, cancellationToken: cancellationToken));
        return id;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EventDelivery>> ListAsync(string? status = null, int take = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition(
            $"""
            SELECT e.event_id, e.name, e.occurred_utc, d.handler_key, d.status, d.attempts, d.next_attempt_utc, d.last_error, d.delivered_utc
            FROM {EventTables.Deliveries} d JOIN {EventTables.Events} e ON e.event_id = d.event_id
            {(status is null ? "" : "WHERE d.status = @status")}
            ORDER BY e.id DESC, d.handler_key LIMIT @take
            """, new { status, take }, cancellationToken: cancellationToken));
        return rows.Select(r => (IDictionary<string, object?>)r).Select(r => new EventDelivery(
            Guid.Parse((string)r["event_id"]!), (string)r["name"]!, EventTime.Read(r["occurred_utc"])!.Value, (string)r["handler_key"]!,
            (string)r["status"]!, Convert.ToInt32(r["attempts"], System.Globalization.CultureInfo.InvariantCulture),
            EventTime.Read(r["next_attempt_utc"])!.Value, (string?)r["last_error"], EventTime.Read(r["delivered_utc"]))).ToList();
    }

    /// <inheritdoc />
    public async Task<int> CountDeadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await CountDeadAsync(connection, cancellationToken);
    }

    internal static async Task<int> CountDeadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Convert.ToInt32(await connection.ExecuteScalarAsync(new CommandDefinition(
            $"SELECT COUNT(*) FROM {EventTables.Deliveries} WHERE status = '{EventDeliveryStatus.Dead}'", cancellationToken: cancellationToken)),
            System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public async Task<int> RetryDeadAsync(Guid? eventId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var requeued = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {EventTables.Deliveries} SET status = '{EventDeliveryStatus.Pending}', attempts = 0, next_attempt_utc = @now, claimed_until_utc = NULL
            WHERE status = '{EventDeliveryStatus.Dead}' {(eventId is null ? "" : "AND event_id = @eventId")}
            """, new { now = EventTime.Param(database.Dialect, clock.GetUtcNow()), eventId = eventId?.ToString("D") },
            cancellationToken: cancellationToken));
        deadLetters.Set(tenant.Name, await CountDeadAsync(connection, cancellationToken));
        return requeued;
    }
}
