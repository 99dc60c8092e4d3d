using System.Data.Common;
using System.Globalization;
using Studio.Data;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>Values as each engine stores them (timestamptz / ISO-8601 UTC text, numeric / invariant text, bool / 0-1).</summary>
internal static class EngineSql
{
    public static object Utc(this SqlDialect dialect, DateTime utc) =>
        dialect == SqlDialect.Postgres
            ? DateTime.SpecifyKind(utc, DateTimeKind.Utc)
            : DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static object? Utc(this SqlDialect dialect, DateTime? utc) => utc is { } value ? dialect.Utc(value) : null;

    public static object Money(this SqlDialect dialect, decimal value) =>
        dialect == SqlDialect.Postgres ? value : value.ToString(CultureInfo.InvariantCulture);

    public static object? Money(this SqlDialect dialect, decimal? value) => value is { } v ? dialect.Money(v) : null;

    public static object Flag(this SqlDialect dialect, bool value) => dialect == SqlDialect.Postgres ? value : value ? 1 : 0;

    /// <summary>SQL literal for a boolean column's true value.</summary>
    public static string True(this SqlDialect dialect) => dialect == SqlDialect.Postgres ? "TRUE" : "1";

    public static string False(this SqlDialect dialect) => dialect == SqlDialect.Postgres ? "FALSE" : "0";

    public static decimal ReadMoney(object? value) => ReadMoneyOrNull(value) ?? 0m;

    public static decimal? ReadMoneyOrNull(object? value) => value switch
    {
        null or DBNull => null,
        decimal d => d,
        string s => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture),
        long l => l,
        int i => i,
        // Money is stored exactly (NUMERIC / invariant text); a binary floating point value would already have lost cents.
        double or float => throw new InvalidCastException("An amount of money was read as binary floating point; money columns are NUMERIC or text."),
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// "<paramref name="column"/> is one of the array parameter <paramref name="parameter"/>": Dapper expands a list
    /// into <c>IN (…)</c> on SQLite but hands PostgreSQL a native array, which needs <c>= ANY(…)</c>.
    /// </summary>
    public static string In(this SqlDialect dialect, string column, string parameter) =>
        dialect == SqlDialect.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>PostgreSQL's exclusion-constraint violation: an overlapping active allocation committed first.</summary>
    public static bool IsOverlap(DbException e) => e.SqlState == "23P01";
}
