namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// Wall-clock time in the tenant's zone ↔ UTC, DST-safe. A local time inside a spring-forward gap does not exist:
/// it becomes the first instant after the gap. A local time repeated by a fall-back change is ambiguous: the
/// earlier instant (the daylight one) is taken.
/// </summary>
internal static class LocalTime
{
    /// <summary>The tenant's zone by IANA id; UTC when the id is unknown (the tenant record validates it on save).</summary>
    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var probe = local;
            for (var i = 0; i < 24 * 60 && zone.IsInvalidTime(probe); i++)
                probe = probe.AddMinutes(1);
            local = probe;
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>Local date + minutes from its midnight (0–1440) → UTC.</summary>
    public static DateTime ToUtc(DateOnly date, int minute, TimeZoneInfo zone) =>
        ToUtc(date.ToDateTime(TimeOnly.MinValue).AddMinutes(minute), zone);

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}

/// <summary>A half-open UTC interval [Start, End).</summary>
internal readonly record struct Span(DateTime Start, DateTime End)
{
    public bool Overlaps(DateTime start, DateTime end) => Start < end && End > start;

    /// <summary><paramref name="spans"/> minus <paramref name="cut"/>.</summary>
    public static List<Span> Subtract(IEnumerable<Span> spans, IReadOnlyList<Span> cut)
    {
        var result = new List<Span>();
        foreach (var span in spans)
        {
            var pieces = new List<Span> { span };
            foreach (var c in cut)
            {
                var next = new List<Span>();
                foreach (var p in pieces)
                {
                    if (!p.Overlaps(c.Start, c.End)) { next.Add(p); continue; }
                    if (p.Start < c.Start) next.Add(new Span(p.Start, c.Start));
                    if (c.End < p.End) next.Add(new Span(c.End, p.End));
                }
                pieces = next;
            }
            result.AddRange(pieces);
        }
        return result;
    }

    /// <summary>Intersection of two sets of spans.</summary>
    public static List<Span> Intersect(IReadOnlyList<Span> a, IReadOnlyList<Span> b)
    {
        var result = new List<Span>();
        foreach (var x in a)
            foreach (var y in b)
            {
                var start = x.Start > y.Start ? x.Start : y.Start;
                var end = x.End < y.End ? x.End : y.End;
                if (start < end)
                    result.Add(new Span(start, end));
            }
        return result;
    }
}

/// <summary>
/// Busy intervals of one room/engineer, for fast "is [a, b) free?" checks: sorted by start with a running maximum
/// of ends, so a binary search answers in O(log n) whatever the overlaps between entries.
/// </summary>
internal sealed class BusyIndex
{
    private readonly DateTime[] _starts;
    private readonly DateTime[] _maxEnds;

    public BusyIndex(IEnumerable<Span> spans)
    {
        var sorted = spans.OrderBy(s => s.Start).ToArray();
        _starts = new DateTime[sorted.Length];
        _maxEnds = new DateTime[sorted.Length];
        var max = DateTime.MinValue;
        for (var i = 0; i < sorted.Length; i++)
        {
            _starts[i] = sorted[i].Start;
            if (sorted[i].End > max) max = sorted[i].End;
            _maxEnds[i] = max;
        }
    }

    public static BusyIndex Empty { get; } = new([]);

    public bool IsFree(DateTime start, DateTime end)
    {
        // Last entry starting before `end`: if any entry up to it ends after `start`, [start, end) is taken.
        int lo = 0, hi = _starts.Length - 1, last = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (_starts[mid] < end) { last = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return last < 0 || _maxEnds[last] <= start;
    }
}
