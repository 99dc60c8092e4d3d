using Studio.Data;

namespace Studio.Modules.Email.Outbox;

/// <summary>Statuses of an outbox row.</summary>
public static class OutboxStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    public const string Pending = "pending";
    /// <summary>Claimed by a dispatcher until its lease ends.</summary>
    public const string Sending = "sending";
    /// <summary>Delivered.</summary>
    public const string Sent = "sent";
    /// <summary>Given up: attempts exhausted or refused for good.</summary>
    public const string Failed = "failed";
}

/// <summary>Instants as each engine stores them: timestamptz, or ISO-8601 UTC text that sorts like time.</summary>
internal static class OutboxTime
{
    public static object Param(SqlDialect dialect, DateTimeOffset instant) => dialect == SqlDialect.Postgres
        ? instant.UtcDateTime
        : instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
