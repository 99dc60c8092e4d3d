using Studio.Data;

namespace Studio.Host.Events;

/// <summary>
/// The event outbox, created in every tenant's database by the host (whatever its features): <c>studio_events</c>
/// holds each published event once; <c>studio_event_deliveries</c> tracks it per subscribed handler (attempts,
/// next attempt, claim lease, last error, outcome).
/// </summary>
internal sealed class EventOutboxMigration : DataMigration
{
    /// <summary>Pseudo-feature under which the host's event outbox migrations are recorded.</summary>
    public const string FeatureId = "Studio.Host.Events";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable(EventTables.Events, t => t
            .Id()
            .String("event_id", 36)
            .String("name", 200)
            .Text("payload")
            .DateTimeUtc("occurred_utc"));
        builder.CreateIndex(EventTables.Events, "ix_studio_events_event_id", true, "event_id");
        builder.CreateIndex(EventTables.Events, "ix_studio_events_occurred", false, "occurred_utc");
        builder.CreateTable(EventTables.Deliveries, t => t
            .String("event_id", 36)
            .String("handler_key", 400)
            .String("status", 20)
            .Int("attempts")
            .DateTimeUtc("created_utc")
            .DateTimeUtc("next_attempt_utc")
            .DateTimeUtc("claimed_until_utc", nullable: true)
            .DateTimeUtc("delivered_utc", nullable: true)
            .Text("last_error", nullable: true)
            .PrimaryKey("event_id", "handler_key"));
        builder.CreateIndex(EventTables.Deliveries, "ix_studio_event_deliveries_due", false, "status", "next_attempt_utc");
    }
}

/// <summary>Table names and delivery statuses of the event outbox.</summary>
public static class EventTables
{
    /// <summary>One row per published event.</summary>
    public const string Events = "studio_events";
    /// <summary>One row per (event, subscribed handler).</summary>
    public const string Deliveries = "studio_event_deliveries";
}

/// <summary>Instants as each engine stores them: timestamptz, or ISO-8601 UTC text (fixed width, sorts like time).</summary>
internal static class EventTime
{
    public static object Param(SqlDialect dialect, DateTimeOffset instant) => dialect.UtcValue(instant.UtcDateTime);

    public static DateTime? Read(object? value) => value switch
    {
        null or DBNull => null,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidCastException($"Unexpected instant {value.GetType().Name}"),
    };
}
