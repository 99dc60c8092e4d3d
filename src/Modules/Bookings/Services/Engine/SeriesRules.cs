using Ical.Net.DataTypes;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// Recurring series: an RFC 5545 RRULE (e.g. <c>FREQ=WEEKLY;BYDAY=TU;COUNT=8</c>) evaluated by Ical.Net over the
/// first session's LOCAL start, so a weekly 18:00 lockout stays at 18:00 across DST changes; the caller turns
/// each local start into UTC with the tenant's zone. A rule must end (COUNT or UNTIL) within
/// <c>maxOccurrences</c> occurrences and two years.
/// </summary>
internal static class SeriesRules
{
    public static string Normalize(string rrule)
    {
        var text = (rrule ?? "").Trim();
        if (text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
            text = text[6..];
        return text.ToUpperInvariant();
    }

    public static IReadOnlyList<DateTime> Expand(string rrule, DateTime firstLocal, int maxOccurrences, IStringLocalizer T)
    {
        var text = Normalize(rrule);
        if (text.Length == 0 || text.Length > 500)
            throw new BookingValidationException(T["Give a recurrence rule, e.g. FREQ=WEEKLY;COUNT=8."], "RRule");
        RecurrencePattern pattern;
        try { pattern = new RecurrencePattern(text); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw new BookingValidationException(T["This recurrence rule cannot be read: {0}", text], "RRule");
        }
        if (pattern.Count is null && pattern.Until is null)
            throw new BookingValidationException(T["The recurrence rule must end: give COUNT or UNTIL."], "RRule");
        if (pattern.Frequency < Ical.Net.FrequencyType.Daily)
            throw new BookingValidationException(T["Sessions can repeat daily, weekly, monthly or yearly."], "RRule");

        var start = DateTime.SpecifyKind(firstLocal, DateTimeKind.Unspecified);
        var calendarEvent = new Ical.Net.CalendarComponents.CalendarEvent
        {
            // Floating (zone-less) times: the rule runs over wall-clock time; the caller applies the zone.
            DtStart = new CalDateTime(start),
            Duration = Ical.Net.DataTypes.Duration.FromHours(1),
        };
        calendarEvent.RecurrenceRule = pattern;
        var horizon = start.AddYears(2);
        var result = new List<DateTime>();
        foreach (var occurrence in calendarEvent.GetOccurrences())
        {
            var local = DateTime.SpecifyKind(occurrence.Period.StartTime.Value, DateTimeKind.Unspecified);
            if (local > horizon)
                throw new BookingValidationException(T["A series may reach at most two years ahead."], "RRule");
            result.Add(local);
            if (result.Count > maxOccurrences)
                throw new BookingValidationException(T["A series may have at most {0} sessions.", maxOccurrences], "RRule");
        }
        if (result.Count == 0)
            throw new BookingValidationException(T["This recurrence rule gives no session."], "RRule");
        return result;
    }
}
