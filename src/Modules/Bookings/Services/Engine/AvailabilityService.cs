using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Data;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// Free slots from the catalogue (opening hours, closures, buffers, engineers' hours, breaks and time off, notice
/// and advance window) and the active allocations (bookings, blocks and live holds). Opening and working hours
/// are local wall-clock minutes, turned into UTC per local date, so "we open at 9" stays 9 across DST changes;
/// slots step from the opening time in real elapsed minutes.
/// </summary>
public sealed class AvailabilityService(
    IBookingCatalog catalog,
    IBookingPricing pricing,
    ITenantDatabase database,
    TenantContext tenant,
    TimeProvider clock,
    IStringLocalizer<AvailabilityService> T) : IAvailabilityService
{
    /// <summary>Longest date range one query may ask for.</summary>
    public const int MaxRangeDays = 93;

    public Task<IReadOnlyList<Slot>> FindSlotsAsync(SlotQuery query, CancellationToken cancellationToken = default) =>
        FindAsync(query, ignoreBookingId: null, enforceWindow: true, cancellationToken);

    /// <summary>
    /// The slots of <paramref name="query"/>; <paramref name="ignoreBookingId"/>'s own allocations do not count
    /// (moving a booking may overlap where it is now). <paramref name="enforceWindow"/>: minimum notice and
    /// maximum advance apply (clients); <paramref name="ignoreBusy"/>: what the rules allow, taken or not;
    /// <paramref name="duration"/>: this length instead of the service's (a booking being moved keeps its own).
    /// </summary>
    internal async Task<IReadOnlyList<Slot>> FindAsync(SlotQuery query, long? ignoreBookingId, bool enforceWindow, CancellationToken cancellationToken,
        bool ignoreBusy = false, TimeSpan? duration = null)
    {
        if (query.To < query.From)
            throw new BookingValidationException(T["The end date must not be before the start date."], nameof(SlotQuery.To));
        if (query.To.DayNumber - query.From.DayNumber + 1 > MaxRangeDays)
            throw new BookingValidationException(T["Ask for at most {0} days at a time.", MaxRangeDays], nameof(SlotQuery.To));

        // Independent reads run side by side (each on its own pooled connection): on PostgreSQL every read is a few
        // round trips, and their sum was most of an availability query's time.
        var policyRead = catalog.GetPolicyAsync(cancellationToken);
        var serviceRead = catalog.GetServiceAsync(query.ServiceId, cancellationToken);
        await Task.WhenAll(policyRead, serviceRead);
        var policy = policyRead.Result;
        var service = serviceRead.Result;
        if (service is null || service.Archived)
            throw new BookingValidationException(T["This service does not exist."], nameof(SlotQuery.ServiceId));
        var minutes = duration is { } fixedLength ? (int)fixedLength.TotalMinutes : EngineRules.DurationMinutes(service, query.Units, T);
        var length = TimeSpan.FromMinutes(minutes);
        var zone = LocalTime.Zone(tenant.TimeZone);

        var roomsRead = CandidateRoomsAsync(service, query.RoomId, cancellationToken);
        var engineersRead = CandidateEngineersAsync(service, query.EngineerId, cancellationToken);
        await Task.WhenAll(roomsRead, engineersRead);
        var rooms = roomsRead.Result;
        var engineers = engineersRead.Result;
        var needsEngineer = service.RequiresEngineer || query.EngineerId is not null;

        var now = clock.GetUtcNow().UtcDateTime;
        var rangeStart = LocalTime.ToUtc(query.From, 0, zone);
        var rangeEnd = LocalTime.ToUtc(query.To.AddDays(1), 0, zone);
        var earliest = enforceWindow ? now.AddMinutes(policy.MinNoticeMinutes) : DateTime.MinValue;
        var latest = enforceWindow ? now.AddDays(policy.MaxAdvanceDays) : DateTime.MaxValue;
        if (rangeEnd <= earliest || rangeStart > latest)
            return [];

        // Busy intervals of every candidate, buffers included (allocations are stored with theirs), the rooms'
        // open time and the engineers' working time — read side by side.
        var busyRead = ignoreBusy ? Task.FromResult(new Dictionary<(string, long), BusyIndex>()) : BusyAsync(rooms.Select(r => r.Id).ToList(),
            needsEngineer ? engineers.Select(e => e.Id).ToList() : [], rangeStart.AddDays(-1), rangeEnd.AddDays(1), now, ignoreBookingId, cancellationToken);
        var roomReads = (service.RequiresRoom ? rooms : []).ToDictionary(r => r.Id, r => RoomWindowsAsync(r.Id, query.From, query.To, zone, cancellationToken));
        var engineerReads = (needsEngineer ? engineers : []).ToDictionary(e => e.Id, e => EngineerWindowsAsync(e.Id, query.From, query.To, zone, cancellationToken));
        await Task.WhenAll(roomReads.Values.Concat(engineerReads.Values).Append<Task>(busyRead));
        var busy = busyRead.Result;
        var engineerWindows = engineerReads.ToDictionary(p => p.Key, p => p.Value.Result);

        var step = TimeSpan.FromMinutes(Math.Max(5, policy.SlotStepMinutes));
        var slots = new List<Slot>();
        var prices = new Dictionary<(long?, int), PriceQuote>();

        IReadOnlyList<Room?> places = service.RequiresRoom ? rooms.Cast<Room?>().ToList() : new List<Room?> { null };
        foreach (var room in places)
        {
            var before = TimeSpan.FromMinutes(room?.BufferBeforeMinutes ?? policy.BufferBeforeMinutes);
            var after = TimeSpan.FromMinutes(room?.BufferAfterMinutes ?? policy.BufferAfterMinutes);
            List<Span> windows;
            if (room is not null)
                windows = roomReads[room.Id].Result;
            else if (needsEngineer)
                windows = engineerWindows.Values.SelectMany(w => w).ToList();
            else
                windows = [new Span(rangeStart, rangeEnd)];
            var roomBusy = room is null ? BusyIndex.Empty : busy.GetValueOrDefault(("room", room.Id), BusyIndex.Empty);

            var seen = new HashSet<DateTime>();
            foreach (var window in windows.OrderBy(w => w.Start))
            {
                for (var start = window.Start; start + length <= window.End; start += step)
                {
                    if (start < earliest || start > latest || start < rangeStart || start >= rangeEnd)
                        continue;
                    var end = start + length;
                    if (!roomBusy.IsFree(start - before, end + after) || !seen.Add(start))
                        continue;
                    long? engineerId = null;
                    if (needsEngineer)
                    {
                        engineerId = engineers.FirstOrDefault(e =>
                            engineerWindows[e.Id].Any(w => w.Start <= start && end <= w.End) &&
                            busy.GetValueOrDefault(("engineer", e.Id), BusyIndex.Empty).IsFree(start - before, end + after))?.Id;
                        if (engineerId is null)
                            continue;
                    }
                    var key = (room?.Id, minutes);
                    if (!prices.TryGetValue(key, out var price))
                        prices[key] = price = pricing.Quote(service, room, start, end, null, policy);
                    slots.Add(new Slot(start, end, room?.Id, engineerId, price));
                }
            }
        }
        return slots.OrderBy(s => s.StartUtc).ThenBy(s => s.RoomId).ToList();
    }

    internal async Task<List<Room>> CandidateRoomsAsync(StudioService service, long? roomId, CancellationToken cancellationToken)
    {
        if (!service.RequiresRoom)
            return [];
        var rooms = (await catalog.ListRoomsAsync(false, cancellationToken))
            .Where(r => r.Bookable && !r.Archived && (service.RoomIds.Count == 0 || service.RoomIds.Contains(r.Id)))
            .OrderBy(r => r.SortOrder).ThenBy(r => r.Id).ToList();
        if (roomId is { } id)
        {
            rooms = rooms.Where(r => r.Id == id).ToList();
            if (rooms.Count == 0)
                throw new BookingValidationException(T["This room cannot be booked for this service."], nameof(SlotQuery.RoomId));
        }
        return rooms;
    }

    internal async Task<List<Engineer>> CandidateEngineersAsync(StudioService service, long? engineerId, CancellationToken cancellationToken)
    {
        if (!service.RequiresEngineer && engineerId is null)
            return [];
        var engineers = (await catalog.ListEngineersAsync(false, cancellationToken))
            .Where(e => e.Active && (service.EngineerIds.Count == 0 || service.EngineerIds.Contains(e.Id)))
            .OrderBy(e => e.Id).ToList();
        if (engineerId is { } id)
        {
            engineers = engineers.Where(e => e.Id == id).ToList();
            if (engineers.Count == 0)
                throw new BookingValidationException(T["This engineer cannot be booked for this service."], nameof(SlotQuery.EngineerId));
        }
        return engineers;
    }

    /// <summary>A room's open time over local dates [from, to] in UTC: weekly hours, replaced by closures/special hours.</summary>
    internal async Task<List<Span>> RoomWindowsAsync(long roomId, DateOnly from, DateOnly to, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var hours = await catalog.GetOpeningHoursAsync(roomId, cancellationToken);
        var closures = await catalog.ListClosuresAsync(roomId, from, to, cancellationToken);
        var windows = new List<Span>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var exceptions = closures.Where(c => (c.RoomId is null || c.RoomId == roomId) && c.From <= day && day <= c.To).ToList();
            if (exceptions.Count > 0)
            {
                // A closure wins over special hours; special hours of the room win over the studio's.
                if (exceptions.Any(c => c.OpenMinute is null || c.CloseMinute is null))
                    continue;
                var special = exceptions.OrderBy(c => c.RoomId is null ? 1 : 0).First();
                AddWindow(windows, day, special.OpenMinute!.Value, special.CloseMinute!.Value, zone);
                continue;
            }
            foreach (var h in hours.Where(h => h.Day == day.DayOfWeek))
                AddWindow(windows, day, h.OpenMinute, h.CloseMinute, zone);
        }
        return Merge(windows);
    }

    /// <summary>An engineer's working time over local dates [from, to] in UTC: work minus breaks minus time off.</summary>
    internal async Task<List<Span>> EngineerWindowsAsync(long engineerId, DateOnly from, DateOnly to, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var hours = await catalog.GetWorkingHoursAsync(engineerId, cancellationToken);
        var work = new List<Span>();
        var breaks = new List<Span>();
        for (var day = from; day <= to; day = day.AddDays(1))
            foreach (var h in hours.Where(h => h.Day == day.DayOfWeek))
                AddWindow(string.Equals(h.Kind, "break", StringComparison.OrdinalIgnoreCase) ? breaks : work, day, h.StartMinute, h.EndMinute, zone);
        var startUtc = LocalTime.ToUtc(from, 0, zone);
        var endUtc = LocalTime.ToUtc(to.AddDays(1), 0, zone);
        var off = (await catalog.ListTimeOffAsync(engineerId, startUtc, endUtc, cancellationToken))
            .Select(t => new Span(t.StartUtc, t.EndUtc)).ToList();
        return Merge(Span.Subtract(Span.Subtract(Merge(work), breaks), off));
    }

    private static void AddWindow(List<Span> windows, DateOnly day, int openMinute, int closeMinute, TimeZoneInfo zone)
    {
        if (closeMinute <= openMinute)
            return;
        var start = LocalTime.ToUtc(day, openMinute, zone);
        var end = LocalTime.ToUtc(day, closeMinute, zone);
        if (start < end)
            windows.Add(new Span(start, end));
    }

    private static List<Span> Merge(IEnumerable<Span> spans)
    {
        var result = new List<Span>();
        foreach (var s in spans.OrderBy(s => s.Start))
        {
            if (result.Count > 0 && result[^1].End >= s.Start)
                result[^1] = new Span(result[^1].Start, s.End > result[^1].End ? s.End : result[^1].End);
            else
                result.Add(s);
        }
        return result;
    }

    private async Task<Dictionary<(string, long), BusyIndex>> BusyAsync(IReadOnlyList<long> roomIds, IReadOnlyList<long> engineerIds,
        DateTime fromUtc, DateTime toUtc, DateTime now, long? ignoreBookingId, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, long), BusyIndex>();
        if (roomIds.Count == 0 && engineerIds.Count == 0)
            return result;
        var dialect = database.Dialect;
        // No join: the allocations come from one index range (a covering index on PostgreSQL and SQLite, see
        // EngineMigration6); holds past their time — a handful at most — are left out by id afterwards, since
        // they no longer occupy anything even before the sweep marks them expired.
        var sql = $"""
            SELECT resource_type AS Type, resource_id AS Id, start_utc AS StartUtc, end_utc AS EndUtc, booking_id AS BookingId
            FROM bk_allocations
            WHERE ((resource_type = 'room' AND {dialect.In("resource_id", "roomIds")}) OR (resource_type = 'engineer' AND {dialect.In("resource_id", "engineerIds")}))
              AND end_utc > @from AND start_utc < @to AND active = {dialect.True()}
            """;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<BusyRow>(new CommandDefinition(sql, new
        {
            from = dialect.Utc(fromUtc), to = dialect.Utc(toUtc),
            roomIds = roomIds.Count == 0 ? [-1L] : roomIds.ToArray(), engineerIds = engineerIds.Count == 0 ? [-1L] : engineerIds.ToArray(),
        }, cancellationToken: cancellationToken));
        var stale = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM bk_bookings WHERE status = 'held' AND hold_expires_utc <= @now",
            new { now = dialect.Utc(now) }, cancellationToken: cancellationToken))).ToHashSet();
        if (ignoreBookingId is { } ignore)
            stale.Add(ignore);
        foreach (var group in rows.Where(r => !stale.Contains(r.BookingId)).GroupBy(r => (r.Type, r.Id)))
            result[group.Key] = new BusyIndex(group.Select(r => new Span(StoredUtc.Read(r.StartUtc), StoredUtc.Read(r.EndUtc))));
        return result;
    }

    private sealed class BusyRow
    {
        public string Type { get; set; } = "";
        public long Id { get; set; }
        public object? StartUtc { get; set; }
        public object? EndUtc { get; set; }
        public long BookingId { get; set; }
    }
}

/// <summary>Rules shared by availability and the engine.</summary>
internal static class EngineRules
{
    /// <summary>The session length of <paramref name="service"/> for <paramref name="units"/> hours/blocks.</summary>
    public static int DurationMinutes(StudioService service, int? units, IStringLocalizer T)
    {
        if (service.DurationKind == DurationKinds.Fixed)
            return Math.Max(1, service.DurationMinutes);
        var n = units ?? Math.Max(1, service.MinUnits);
        var min = Math.Max(1, service.MinUnits);
        var max = Math.Max(min, service.MaxUnits);
        if (n < min || n > max)
            throw new BookingValidationException(service.DurationKind == DurationKinds.Hourly
                ? T["Choose between {0} and {1} hours.", min, max]
                : T["Choose between {0} and {1} blocks.", min, max], nameof(SlotQuery.Units));
        var size = service.DurationKind == DurationKinds.Hourly ? 60 : Math.Max(1, service.DurationMinutes);
        return n * size;
    }
}
