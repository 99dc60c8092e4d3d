using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Studio.Data;
using Studio.Events;
using Studio.Tenancy;

namespace Studio.Host.Events;

/// <summary>
/// Delivers the tenant's due event deliveries to the handlers subscribed in its container. Each delivery is claimed
/// with one conditional UPDATE before its handler runs, so two dispatchers (two host instances, or an old and a new
/// activation) never run a handler for it at the same time; a claim is a lease, so a delivery whose dispatcher died
/// is taken again once the lease ends. A handler that throws is tried again with exponential backoff; after
/// <see cref="StudioEventsOptions.MaxAttempts"/> its delivery is dead-lettered (an error is logged, the operator sees
/// it in <c>/health/ready</c> and can requeue it). Other handlers of the same event are tracked on their own rows and
/// never re-run.
/// </summary>
public sealed class EventDispatcher(
    ITenantDatabase database,
    EventRegistry registry,
    IServiceScopeFactory scopes,
    IOptions<StudioOptions> options,
    TenantContext tenant,
    EventDeadLetters deadLetters,
    TimeProvider clock,
    ILogger<EventDispatcher> logger)
{
    private const string Due =
        $"((status = '{EventDeliveryStatus.Pending}' AND next_attempt_utc <= @now) OR (status = '{EventDeliveryStatus.Delivering}' AND claimed_until_utc <= @now))";

    private StudioEventsOptions Settings => options.Value.Events;

    // Dapper sends a list as an array to PostgreSQL and expands it into a parameter list for SQLite.
    private string InKeys => database.Dialect == SqlDialect.Postgres ? "handler_key = ANY(@keys)" : "handler_key IN @keys";

    /// <summary>
    /// One round: skips deliveries for handlers this container no longer has, delivers every due one (up to
    /// <paramref name="batch"/>) and returns how many handlers succeeded.
    /// </summary>
    public async Task<int> DispatchAsync(int batch = 100, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<(string EventId, string HandlerKey)> due;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await SkipUnsubscribedAsync(connection, now, cancellationToken);
            if (registry.HandlerKeys.Count == 0)
                return 0;
            due = (await connection.QueryAsync<(string, string)>(new CommandDefinition(
                $"""
                SELECT event_id, handler_key FROM {EventTables.Deliveries}
                WHERE {InKeys} AND {Due} ORDER BY created_utc, event_id LIMIT @batch
                """,
                new { keys = registry.HandlerKeys.ToArray(), now = EventTime.Param(database.Dialect, now), batch }, cancellationToken: cancellationToken))).ToList();
        }
        var delivered = 0;
        var died = false;
        foreach (var (eventId, handlerKey) in due)
        {
            switch (await DeliverAsync(eventId, handlerKey, cancellationToken))
            {
                case Outcome.Delivered: delivered++; break;
                case Outcome.Dead: died = true; break;
            }
        }
        if (died)
            await RefreshDeadLettersAsync(cancellationToken);
        return delivered;
    }

    /// <summary>Publishes the tenant's dead-letter count to the host (for <c>/health/ready</c>).</summary>
    public async Task RefreshDeadLettersAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        deadLetters.Set(tenant.Name, await EventOutbox.CountDeadAsync(connection, cancellationToken));
    }

    /// <summary>
    /// A feature that was disabled gets nothing: deliveries created before this container was built for a handler
    /// it does not have are marked skipped. (Newer ones may come from an older activation still finishing its
    /// requests; the next activation settles them.)
    /// </summary>
    private async Task SkipUnsubscribedAsync(System.Data.Common.DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = registry.HandlerKeys;
        var where = $"created_utc < @activated {(keys.Count == 0 ? "" : $"AND NOT {InKeys}")} AND {Due}";
        var parameters = new { keys = keys.ToArray(), activated = EventTime.Param(database.Dialect, registry.ActivatedUtc), now = EventTime.Param(database.Dialect, now) };
        // Read first: an UPDATE, even of no row, would take SQLite's write lock every round.
        var any = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            $"SELECT 1 FROM {EventTables.Deliveries} WHERE {where} LIMIT 1", parameters, cancellationToken: cancellationToken));
        if (any is null)
            return;
        var skipped = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {EventTables.Deliveries} SET status = '{EventDeliveryStatus.Skipped}', claimed_until_utc = NULL,
                last_error = 'The handler is no longer subscribed (its feature was disabled).'
            WHERE {where}
            """, parameters, cancellationToken: cancellationToken));
        if (skipped > 0)
            logger.LogInformation("Skipped {Count} event deliveries of tenant {Tenant} to handlers no longer subscribed", skipped, tenant.Name);
    }

    private enum Outcome { NotClaimed, Delivered, Retry, Dead }

    private async Task<Outcome> DeliverAsync(string eventId, string handlerKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var key = (eventId, handlerKey);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {EventTables.Deliveries} SET status = '{EventDeliveryStatus.Delivering}', attempts = attempts + 1, claimed_until_utc = @lease
            WHERE event_id = @eventId AND handler_key = @handlerKey AND {Due}
            """,
            new { eventId, handlerKey, now = EventTime.Param(database.Dialect, now), lease = EventTime.Param(database.Dialect, now + Settings.Lease) },
            cancellationToken: cancellationToken));
        if (claimed != 1)
            return Outcome.NotClaimed; // another dispatcher has it, or it is no longer due
        var row = (IDictionary<string, object?>)await connection.QuerySingleAsync(new CommandDefinition(
            $"""
            SELECT e.name, e.payload, e.occurred_utc, d.attempts FROM {EventTables.Deliveries} d
            JOIN {EventTables.Events} e ON e.event_id = d.event_id WHERE d.event_id = @eventId AND d.handler_key = @handlerKey
            """, new { eventId, handlerKey }, cancellationToken: cancellationToken));
        var name = (string)row["name"]!;
        var attempts = Convert.ToInt32(row["attempts"], System.Globalization.CultureInfo.InvariantCulture);
        var subscription = registry.Find(name, handlerKey);
        if (subscription is null)
        {
            // Subscribed under another event name only: nothing here handles this event.
            await SettleAsync(connection, key, EventDeliveryStatus.Skipped, "The handler is not subscribed to this event.", null);
            return Outcome.NotClaimed;
        }

        object? payload;
        try
        {
            payload = JsonSerializer.Deserialize((string)row["payload"]!, subscription.EventType, EventOutbox.Json);
            if (payload is null)
                throw new JsonException("The payload is null.");
        }
        catch (JsonException e)
        {
            // Retrying cannot make an unreadable payload readable.
            await SettleAsync(connection, key, EventDeliveryStatus.Dead, Truncate($"Unreadable payload: {e.Message}"), null);
            logger.LogError("Event {EventId} ({EventName}) of tenant {Tenant} dead-lettered for {Handler}: its payload cannot be read as {Type}",
                eventId, name, tenant.Name, handlerKey, subscription.EventType.Name);
            return Outcome.Dead;
        }

        var context = new EventContext(Guid.Parse(eventId), name, EventTime.Read(row["occurred_utc"])!.Value, attempts);
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
                await EventRegistry.InvokeAsync(subscription, scope.ServiceProvider, payload, context, cancellationToken);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping, not failing: give the claim back untouched so the next dispatcher runs it at once.
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {EventTables.Deliveries} SET status = '{EventDeliveryStatus.Pending}', attempts = attempts - 1, claimed_until_utc = NULL
                WHERE event_id = @eventId AND handler_key = @handlerKey AND status = '{EventDeliveryStatus.Delivering}'
                """, new { eventId, handlerKey }, cancellationToken: CancellationToken.None));
            throw;
        }
        catch (Exception e)
        {
            var error = Truncate($"{e.GetType().Name}: {e.Message}");
            if (attempts >= Settings.MaxAttempts)
            {
                await SettleAsync(connection, key, EventDeliveryStatus.Dead, error, null);
                logger.LogError(e, "Event {EventId} ({EventName}) of tenant {Tenant} dead-lettered for {Handler} after {Attempts} attempts",
                    eventId, name, tenant.Name, handlerKey, attempts);
                return Outcome.Dead;
            }
            var next = clock.GetUtcNow() + Backoff(attempts);
            await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE {EventTables.Deliveries} SET status = '{EventDeliveryStatus.Pending}', next_attempt_utc = @next, claimed_until_utc = NULL, last_error = @error
                WHERE event_id = @eventId AND handler_key = @handlerKey
                """, new { eventId, handlerKey, next = EventTime.Param(database.Dialect, next), error }, cancellationToken: CancellationToken.None));
            logger.LogWarning(e, "Event {EventId} ({EventName}) of tenant {Tenant}: handler {Handler} failed (attempt {Attempt}); next attempt at {Next:O}",
                eventId, name, tenant.Name, handlerKey, attempts, next);
            return Outcome.Retry;
        }

        await SettleAsync(connection, key, EventDeliveryStatus.Delivered, null, clock.GetUtcNow());
        return Outcome.Delivered;
    }

    private Task SettleAsync(System.Data.Common.DbConnection connection, (string EventId, string HandlerKey) key, string status, string? error, DateTimeOffset? delivered) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {EventTables.Deliveries} SET status = @status, claimed_until_utc = NULL, last_error = @error, delivered_utc = @delivered
            WHERE event_id = @eventId AND handler_key = @handlerKey
            """,
            new { eventId = key.EventId, handlerKey = key.HandlerKey, status, error,
                delivered = delivered is null ? null : EventTime.Param(database.Dialect, delivered.Value) },
            cancellationToken: CancellationToken.None));

    /// <summary>Delay after the <paramref name="attempts"/>-th failure: the base delay doubled each time, capped.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(Settings.RetryDelay.Ticks * factor, Settings.MaxRetryDelay.Ticks));
    }

    /// <summary>Removes events older than the retention whose deliveries are all settled (delivered or skipped).</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = EventTime.Param(database.Dialect, clock.GetUtcNow() - Settings.Retention);
        const string Open = $"status IN ('{EventDeliveryStatus.Pending}', '{EventDeliveryStatus.Delivering}', '{EventDeliveryStatus.Dead}')";
        var stale = $"SELECT e.event_id FROM {EventTables.Events} e WHERE e.occurred_utc < @before AND NOT EXISTS " +
            $"(SELECT 1 FROM {EventTables.Deliveries} d WHERE d.event_id = e.event_id AND d.{Open})";
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {EventTables.Deliveries} WHERE event_id IN ({stale})", new { before }, transaction, cancellationToken: cancellationToken));
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM {EventTables.Events} WHERE event_id IN ({stale})", new { before }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
