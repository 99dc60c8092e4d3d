namespace Studio.Data;

/// <summary>Values written the way each engine stores them.</summary>
public static class SqlDialectExtensions
{
    /// <summary>
    /// A UTC instant as a parameter for a <see cref="TableBuilder.DateTimeUtc"/> column: <c>timestamptz</c> on
    /// PostgreSQL, ISO-8601 round-trip text on SQLite (which sorts and compares correctly as text).
    /// </summary>
    public static object UtcValue(this SqlDialect dialect, DateTime utc) =>
        dialect == SqlDialect.Postgres ? utc : utc.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
