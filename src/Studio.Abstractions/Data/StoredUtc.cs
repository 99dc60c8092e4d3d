using System.Globalization;

namespace Studio.Data;

/// <summary>
/// Reads back an instant written with <see cref="SqlDialectExtensions.UtcValue"/> — <c>timestamptz</c> from
/// PostgreSQL, ISO-8601 text from SQLite — as a UTC <see cref="DateTime"/>, whatever the server's time zone. Read the
/// column as <c>object</c>: SQLite's own date reader turns "…Z" text into server-local time, and converting that back
/// is wrong in the hour the clocks go back.
/// </summary>
public static class StoredUtc
{
    /// <summary>The instant in <paramref name="value"/>.</summary>
    /// <exception cref="InvalidCastException">The value is null or not an instant.</exception>
    public static DateTime Read(object? value) => ReadOrNull(value) ?? throw new InvalidCastException("A required instant is null.");

    /// <summary>The instant in <paramref name="value"/>, or null for a database null.</summary>
    public static DateTime? ReadOrNull(object? value) => value switch
    {
        null or DBNull => null,
        DateTime { Kind: DateTimeKind.Utc } d => d,
        DateTime { Kind: DateTimeKind.Local } d => d.ToUniversalTime(),
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc), // timestamptz without a kind, or UTC text without a zone
        DateTimeOffset o => o.UtcDateTime,
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidCastException($"Unexpected instant of type {value.GetType().Name}."),
    };
}
