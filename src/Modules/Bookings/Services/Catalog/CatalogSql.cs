using System.Data.Common;
using System.Globalization;
using Studio.Data;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>
/// Small helpers for reading and writing Bookings rows on both engines: SQLite keeps decimals and instants as
/// text, PostgreSQL as numeric and timestamptz.
/// </summary>
internal static class CatalogSql
{
    /// <summary>An instant read back from either engine, as UTC.</summary>
    public static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>An instant as a parameter: timestamptz on PostgreSQL, ISO-8601 text on SQLite.</summary>
    public static object UtcParam(this ITenantDatabase database, DateTime value) =>
        database.Dialect.UtcValue(Utc(value));

    /// <summary>A decimal as a parameter: numeric on PostgreSQL, invariant text on SQLite (exact, no float).</summary>
    public static object? Money(this ITenantDatabase database, decimal? value) =>
        value is null ? null
        : database.Dialect == SqlDialect.Postgres ? value.Value
        : value.Value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A decimal read from either engine (numeric, or the text SQLite keeps).</summary>
    public static decimal? ReadMoney(object? value) => value switch
    {
        null or DBNull => null,
        decimal d => d,
        string s => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    /// <summary>A local date as stored (yyyy-MM-dd, which sorts and compares as text).</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Begins a write transaction (SQLite: BEGIN IMMEDIATE, which serialises writers).</summary>
    public static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);
}
