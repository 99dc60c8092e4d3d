using System.Globalization;
using System.Text.RegularExpressions;

namespace Studio.Localization;

/// <summary>
/// Dates written the way each culture writes them, at a middle length .NET has no standard pattern for: the culture's
/// long date with abbreviated day and month names — "Wed, 25 Nov 2026" (en-GB), "Wed, Nov 25, 2026" (en-US),
/// "mer. 25 nov. 2026" (fr-FR), "Mi, 25. Nov. 2026" (de-DE) — rather than one English-shaped pattern for all.
/// </summary>
public static partial class DateFormats
{
    /// <summary>Day, date, month and year: for a day heading or a booking's date.</summary>
    public static string WithWeekday(DateOnly date, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        return date.ToString(Shorten(culture.DateTimeFormat.LongDatePattern), culture);
    }

    /// <summary>Date, month and year without the day's name: for "rates of …", "set on …".</summary>
    public static string WithoutWeekday(DateOnly date, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        var pattern = Weekday().Replace(culture.DateTimeFormat.LongDatePattern, "").Trim();
        return date.ToString(Shorten(pattern), culture);
    }

    // Full names become abbreviations; quoted literals ('de') are left alone by the replacement of whole tokens.
    private static string Shorten(string pattern) =>
        pattern.Replace("dddd", "ddd", StringComparison.Ordinal).Replace("MMMM", "MMM", StringComparison.Ordinal);

    [GeneratedRegex(@"dddd[,.]?\s*")]
    private static partial Regex Weekday();
}
