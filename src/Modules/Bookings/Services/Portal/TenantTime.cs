using System.Globalization;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>
/// Converts between UTC (what is stored) and the tenant's wall clock (what people see and type), in the tenant's
/// IANA time zone. Scoped in the tenant container.
/// </summary>
public sealed class TenantTime(TenantContext tenant, TimeProvider time)
{
    private TimeZoneInfo? _zone;

    /// <summary>The tenant's zone (UTC when its id is unknown on this machine).</summary>
    public TimeZoneInfo Zone => _zone ??= Studio.Modules.Bookings.Services.Engine.LocalTime.Zone(tenant.TimeZone);

    /// <summary>Now, UTC.</summary>
    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>Today's date on the tenant's wall clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(ToLocal(UtcNow));

    /// <summary>A UTC instant on the tenant's wall clock.</summary>
    public DateTime ToLocal(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>
    /// A wall-clock time of the tenant as UTC. A time skipped by a DST change does not exist: refused with a
    /// <see cref="BookingValidationException"/> carrying <paramref name="message"/>. An ambiguous one (clocks going
    /// back) is taken as the first occurrence (daylight time).
    /// </summary>
    public DateTime ToUtc(DateTime local, string message)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
            throw new BookingValidationException(message);
        if (Zone.IsAmbiguousTime(local))
        {
            var offsets = Zone.GetAmbiguousTimeOffsets(local);
            var largest = offsets.Max();
            return DateTime.SpecifyKind(local - largest, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, Zone);
    }

    /// <summary>UTC start of a local date (midnight on the tenant's wall clock; the first valid minute after a gap).</summary>
    public DateTime StartOfDayUtc(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (Zone.IsInvalidTime(local))
            local = local.AddMinutes(30);
        return ToUtc(local, "");
    }

    /// <summary>The day in the current culture's own words and order ("Tue, 24 Nov 2026" in en-GB, "mar. 24 nov. 2026" in fr-FR).</summary>
    public static string FormatDate(DateOnly date) => Studio.Localization.DateFormats.WithWeekday(date);

    /// <summary>The tenant-local time of a UTC instant, short form (e.g. 14:30).</summary>
    public string FormatTime(DateTime utc) => ToLocal(utc).ToString("t", CultureInfo.CurrentCulture);

    /// <summary>Date and time of a UTC instant on the tenant's wall clock.</summary>
    public string FormatDateTime(DateTime utc)
    {
        var local = ToLocal(utc);
        return FormatDate(DateOnly.FromDateTime(local)) + " " + local.ToString("t", CultureInfo.CurrentCulture);
    }

    /// <summary>A local time range of a session, e.g. "Tue 24 Nov 2026 14:00–16:00".</summary>
    public string FormatRange(DateTime startUtc, DateTime endUtc)
    {
        var start = ToLocal(startUtc);
        var end = ToLocal(endUtc);
        return start.Date == end.Date
            ? FormatDate(DateOnly.FromDateTime(start)) + " " + start.ToString("t", CultureInfo.CurrentCulture) + "–" + end.ToString("t", CultureInfo.CurrentCulture)
            : FormatDateTime(startUtc) + " – " + FormatDateTime(endUtc);
    }

    /// <summary>A UTC instant as it travels in links and forms (ISO 8601, minutes, Z).</summary>
    public static string ToToken(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="ToToken"/>; null when malformed.</summary>
    public static DateTime? FromToken(string? token) =>
        DateTime.TryParseExact(token, "yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
