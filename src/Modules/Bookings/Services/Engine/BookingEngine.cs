using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Bookings;
using Studio.Data;
using Studio.Events;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// The booking lifecycle over the tenant's database. Each write is one transaction that (1) expires holds past
/// their time, (2) checks the new allocations against the active ones, (3) counts the month's bookings against the
/// plan, (4) writes the booking, its allocations, people and history, and (5) the event into the outbox — all or
/// nothing. The catalogue, the client and the plan are read before the transaction opens, so a transaction never
/// waits for a second connection (100 concurrent attempts must not starve the pool).
/// Conflict safety: on SQLite the transaction is <c>BEGIN IMMEDIATE</c> (one writer at a time, so check-then-insert
/// is exact); on PostgreSQL the exclusion constraint <c>ex_bk_allocations_overlap</c> refuses the loser of a race
/// (SQLSTATE 23P01). Either way the loser gets a <see cref="SlotTakenException"/>.
/// </summary>
public sealed class BookingEngine(
    ITenantDatabase database,
    IBookingCatalog catalog,
    IBookingPricing pricing,
    IClientDirectory clients,
    AvailabilityService availability,
    IEventOutbox outbox,
    IAuditTrail audit,
    IPlanLimits limits,
    TenantContext tenant,
    TimeProvider clock,
    SqliteWriteGate sqliteWriteGate,
    IStringLocalizer<BookingEngine> T) : IBookingEngine
{
    /// <summary>Most occurrences one series may create.</summary>
    public const int MaxOccurrences = 104;

    private const string ReferenceAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private SqlDialect Dialect => database.Dialect;

    // ───────────────────────────── create ─────────────────────────────

    public async Task<Booking> HoldAsync(BookingRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(request, clientRules: true, ignoreBookingId: null, cancellationToken);
        var now = Now();
        var expires = now.AddMinutes(Math.Max(1, prepared.Policy.HoldMinutes));
        var id = await WriteAsync(async (connection, tx) =>
        {
            await ExpireStaleAsync(connection, tx, now, cancellationToken);
            var bookingId = await InsertAsync(connection, tx, prepared, BookingStatuses.Held, expires, null, null, actor, now, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "held", null, BookingStatuses.Held, null, null, prepared.Start, prepared.End, null, cancellationToken);
            return bookingId;
        }, countsAgainstPlan: 1, cancellationToken);
        var booking = await RequireAsync(id, cancellationToken);
        await AuditAsync(actor, "booking.held", booking, null, cancellationToken);
        return booking;
    }

    public async Task<Booking> BookAsync(BookingRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(request, clientRules: false, ignoreBookingId: null, cancellationToken);
        var now = Now();
        var id = await WriteAsync(async (connection, tx) =>
        {
            await ExpireStaleAsync(connection, tx, now, cancellationToken);
            var bookingId = await InsertAsync(connection, tx, prepared, BookingStatuses.Confirmed, null, null, null, actor, now, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "booked", null, BookingStatuses.Confirmed, null, null, prepared.Start, prepared.End, null, cancellationToken);
            await outbox.PublishAsync(Event(prepared, bookingId, await ReferenceOfAsync(connection, tx, bookingId, cancellationToken), null), tx, cancellationToken);
            return bookingId;
        }, countsAgainstPlan: 1, cancellationToken);
        var booking = await RequireAsync(id, cancellationToken);
        await AuditAsync(actor, "booking.booked", booking, null, cancellationToken);
        return booking;
    }

    public async Task<Booking> BlockAsync(BlockRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var title = request.Title?.Trim() ?? "";
        if (title.Length == 0 || title.Length > 200)
            throw new BookingValidationException(T["Give the blocked time a title (at most 200 characters)."], nameof(BlockRequest.Title));
        var start = AsUtc(request.StartUtc);
        var end = AsUtc(request.EndUtc);
        if (end <= start)
            throw new BookingValidationException(T["The end must be after the start."], nameof(BlockRequest.EndUtc));
        if (end - start > TimeSpan.FromDays(366))
            throw new BookingValidationException(T["Block at most a year at a time."], nameof(BlockRequest.EndUtc));
        if (request.RoomId is null && request.EngineerId is null && request.ResourceId is null)
            throw new BookingValidationException(T["Choose a room, an engineer or equipment to block."], nameof(BlockRequest.RoomId));

        var policy = await catalog.GetPolicyAsync(cancellationToken);
        Room? room = null;
        if (request.RoomId is { } roomId && ((room = await catalog.GetRoomAsync(roomId, cancellationToken)) is null || room.Archived))
            throw new BookingValidationException(T["This room does not exist."], nameof(BlockRequest.RoomId));
        Engineer? engineer = null;
        if (request.EngineerId is { } engineerId && (engineer = await catalog.GetEngineerAsync(engineerId, cancellationToken)) is null)
            throw new BookingValidationException(T["This engineer does not exist."], nameof(BlockRequest.EngineerId));
        BookableResource? resource = null;
        if (request.ResourceId is { } resourceId && ((resource = await catalog.GetResourceAsync(resourceId, cancellationToken)) is null || resource.Archived))
            throw new BookingValidationException(T["This equipment does not exist."], nameof(BlockRequest.ResourceId));

        var prepared = new Prepared
        {
            Policy = policy, Room = room, Engineer = engineer, Start = start, End = end,
            // Blocking equipment takes every unit of it.
            BlockedResource = resource,
            SessionKind = SessionKinds.Hourly, Location = SessionKinds.Studio, Title = title,
            Price = new PriceQuote(0m, 0m, 0, policy.Currency, []),
        };
        var now = Now();
        var id = await WriteAsync(async (connection, tx) =>
        {
            await ExpireStaleAsync(connection, tx, now, cancellationToken);
            long bookingId;
            try { bookingId = await InsertAsync(connection, tx, prepared, BookingStatuses.Blocked, null, null, null, actor, now, cancellationToken); }
            catch (SlotTakenException) when (resource is null)
            {
                throw new SlotTakenException(T["This time overlaps a booking or blocked time; move or cancel it first."]);
            }
            await HistoryAsync(connection, tx, bookingId, now, actor, "blocked", null, BookingStatuses.Blocked, null, null, start, end, title, cancellationToken);
            return bookingId;
        }, countsAgainstPlan: 0, cancellationToken);
        var booking = await RequireAsync(id, cancellationToken);
        await AuditAsync(actor, "booking.blocked", booking, null, cancellationToken);
        return booking;
    }

    public async Task<IReadOnlyList<Booking>> BookSeriesAsync(SeriesRequest request, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var zone = LocalTime.Zone(tenant.TimeZone);
        var firstStart = AsUtc(request.First.StartUtc);
        var firstLocal = LocalTime.ToLocal(firstStart, zone);
        var locals = SeriesRules.Expand(request.RRule, firstLocal, MaxOccurrences, T);
        var first = await PrepareAsync(request.First with { StartUtc = firstStart }, clientRules: false, ignoreBookingId: null, cancellationToken);
        var duration = first.End - first.Start;
        var occurrences = new List<Prepared>();
        foreach (var local in locals)
        {
            var start = LocalTime.ToUtc(local, zone);
            occurrences.Add(start == first.Start ? first : first with { Start = start, End = start + duration });
        }

        var now = Now();
        var ids = await WriteAsync(async (connection, tx) =>
        {
            await ExpireStaleAsync(connection, tx, now, cancellationToken);
            var seriesId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO bk_series (rrule, first_local_start, duration_minutes, client_id, service_id, room_id, time_zone, created_utc) " +
                "VALUES (@rrule, @first, @minutes, @client, @service, @room, @zone, @now) RETURNING id",
                new
                {
                    rrule = SeriesRules.Normalize(request.RRule), first = firstLocal.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    minutes = (int)duration.TotalMinutes, client = first.Client?.Id, service = first.Service?.Id, room = first.Room?.Id,
                    zone = tenant.TimeZone, now = Dialect.Utc(now),
                }, tx, cancellationToken: cancellationToken));
            var created = new List<long>();
            foreach (var occurrence in occurrences)
            {
                long bookingId;
                try
                {
                    bookingId = await InsertAsync(connection, tx, occurrence, BookingStatuses.Confirmed, null, seriesId, occurrence.Start, actor, now, cancellationToken);
                }
                catch (SlotTakenException)
                {
                    var local = LocalTime.ToLocal(occurrence.Start, zone);
                    throw new SlotTakenException(T["The session on {0:d} at {0:t} overlaps another booking; nothing was booked.", local]);
                }
                await HistoryAsync(connection, tx, bookingId, now, actor, "booked", null, BookingStatuses.Confirmed, null, null, occurrence.Start, occurrence.End,
                    T["Occurrence of series {0}", seriesId], cancellationToken);
                await outbox.PublishAsync(Event(occurrence, bookingId, await ReferenceOfAsync(connection, tx, bookingId, cancellationToken), seriesId), tx, cancellationToken);
                created.Add(bookingId);
            }
            return created;
        }, countsAgainstPlan: occurrences.Count, cancellationToken);

        var bookings = await ListByIdsAsync(ids, cancellationToken);
        await audit.RecordAsync(new AuditRecord(actor, "booking.series.booked", "booking-series:" + bookings[0].SeriesId,
            After: new { rrule = request.RRule, bookings = bookings.Select(b => new { b.Id, b.Reference, b.StartUtc, b.EndUtc }) }), cancellationToken);
        return bookings;
    }

    /// <summary>
    /// Gives a held booking its client (the portal holds before the visitor signs in), re-pricing the deposit with
    /// the client's own deposit percentage. A hold that already has another client is refused.
    /// </summary>
    public async Task<Booking> AssignClientAsync(long bookingId, long clientId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var booking = await RequireAsync(bookingId, cancellationToken);
        if (booking.Status != BookingStatuses.Held)
            throw new BookingStateException(T["Only a held booking can be given to a client."]);
        if (booking.ClientId is { } existing && existing != clientId)
            throw new BookingStateException(T["This hold belongs to someone else."]);
        var client = await clients.GetAsync(clientId, cancellationToken);
        if (client is null || client.Archived)
            throw new BookingValidationException(T["This client does not exist."], nameof(BookingRequest.ClientId));
        var policy = await catalog.GetPolicyAsync(cancellationToken);
        var service = booking.ServiceId is { } sid ? await catalog.GetServiceAsync(sid, cancellationToken) : null;
        var room = booking.RoomId is { } rid ? await catalog.GetRoomAsync(rid, cancellationToken) : null;
        var price = service is null ? null : pricing.Quote(service, room, booking.StartUtc, booking.EndUtc, client, policy);
        var now = Now();
        await WriteAsync(async (connection, tx) =>
        {
            await UpdateAsync(connection, tx, booking, "client_id = @client, deposit = @deposit, deposit_percent = @percent",
                new { client = clientId, deposit = Dialect.Money(price?.Deposit ?? booking.Deposit), percent = price?.DepositPercent ?? booking.DepositPercent },
                now, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "client", booking.Status, booking.Status, null, null, null, null, client.Name, cancellationToken);
            return 0;
        }, 0, cancellationToken);
        var updated = await RequireAsync(bookingId, cancellationToken);
        await AuditAsync(actor, "booking.client.assigned", updated, booking, cancellationToken);
        return updated;
    }

    // ───────────────────────────── transitions ─────────────────────────────

    public async Task<Booking> ConfirmAsync(long bookingId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var booking = await RequireAsync(bookingId, cancellationToken);
        var now = Now();
        if (booking.Status != BookingStatuses.Held)
            throw new BookingStateException(booking.Status == BookingStatuses.Confirmed
                ? T["This booking is already confirmed."] : T["Only a held booking can be confirmed."]);
        if (booking.HoldExpiresUtc is { } expires && expires <= now)
            throw new BookingStateException(T["This hold has expired; please choose the slot again."]);
        var info = await EventInfoAsync(booking, cancellationToken);
        await WriteAsync(async (connection, tx) =>
        {
            await UpdateAsync(connection, tx, booking, "status = @status, hold_expires_utc = NULL", new { status = BookingStatuses.Confirmed }, now, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "confirmed", booking.Status, BookingStatuses.Confirmed, null, null, null, null, null, cancellationToken);
            await outbox.PublishAsync(Event(Confirmed, info, booking), tx, cancellationToken);
            return 0;
        }, 0, cancellationToken);
        var updated = await RequireAsync(bookingId, cancellationToken);
        await AuditAsync(actor, "booking.confirmed", updated, booking, cancellationToken);
        return updated;
    }

    public async Task<Booking> RescheduleAsync(long bookingId, DateTime newStartUtc, long? newRoomId, AuditActor actor, bool byClient, CancellationToken cancellationToken = default)
    {
        var booking = await RequireAsync(bookingId, cancellationToken);
        var now = Now();
        if (booking.Status is not (BookingStatuses.Confirmed or BookingStatuses.Held))
            throw new BookingStateException(T["Only an upcoming booking can be moved."]);
        if (booking.Status == BookingStatuses.Held && booking.HoldExpiresUtc is { } expires && expires <= now)
            throw new BookingStateException(T["This hold has expired; please choose the slot again."]);
        if (byClient && (booking.StartUtc <= now || now > booking.StartUtc.AddHours(-booking.FreeCancelHours)))
            throw new BookingStateException(T["This booking can no longer be moved online: changes are possible until {0} hours before the session. Please contact the studio.", booking.FreeCancelHours]);

        var start = AsUtc(newStartUtc);
        var duration = booking.EndUtc - booking.StartUtc;
        var request = new BookingRequest
        {
            ServiceId = booking.ServiceId ?? 0,
            StartUtc = start,
            Units = null,
            RoomId = newRoomId ?? booking.RoomId,
            EngineerId = booking.EngineerIds.Count > 0 ? booking.EngineerIds[0] : null,
            ClientId = booking.ClientId,
            ExtraEngineerIds = booking.EngineerIds.Skip(1).ToList(),
            ResourceIds = booking.ResourceIds.ToList(),
            MusicianIds = booking.People.Where(p => p.MusicianId is not null).Select(p => p.MusicianId!.Value).ToList(),
            SessionKind = booking.SessionKind,
            Location = booking.Location,
            Notes = booking.Notes,
        };
        if (booking.ServiceId is null)
            throw new BookingStateException(T["Blocked time cannot be moved; remove it and block again."]);
        var prepared = await PrepareAsync(request, clientRules: byClient, ignoreBookingId: bookingId, cancellationToken, fixedDuration: duration);
        // The price follows the room: unchanged room, unchanged price (what was agreed stays agreed).
        if (prepared.Room?.Id == booking.RoomId)
            prepared = prepared with { Price = new PriceQuote(booking.Total, booking.Deposit, booking.DepositPercent, booking.Currency, []) };
        var info = await EventInfoAsync(booking, cancellationToken);

        await WriteAsync(async (connection, tx) =>
        {
            await ExpireStaleAsync(connection, tx, now, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_allocations WHERE booking_id = @id", new { id = bookingId }, tx, cancellationToken: cancellationToken));
            await AllocateAsync(connection, tx, bookingId, prepared, cancellationToken);
            await UpdateAsync(connection, tx, booking,
                "start_utc = @start, end_utc = @end, room_id = @room, buffer_before_minutes = @before, buffer_after_minutes = @after, total = @total, deposit = @deposit, deposit_percent = @percent",
                new
                {
                    start = Dialect.Utc(prepared.Start), end = Dialect.Utc(prepared.End), room = prepared.Room?.Id,
                    before = prepared.BufferBefore, after = prepared.BufferAfter,
                    total = Dialect.Money(prepared.Price.Total), deposit = Dialect.Money(prepared.Price.Deposit), percent = prepared.Price.DepositPercent,
                }, now, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "rescheduled", booking.Status, booking.Status,
                booking.StartUtc, booking.EndUtc, prepared.Start, prepared.End, byClient ? T["By the client"].Value : null, cancellationToken);
            if (booking.Status == BookingStatuses.Confirmed)
            {
                var moved = info with { Room = prepared.Room ?? info.Room };
                BookingRescheduled Blank() => new()
                {
                    BookingId = 0, Reference = "", StartUtc = default, EndUtc = default, TimeZone = "",
                    PreviousStartUtc = booking.StartUtc, PreviousEndUtc = booking.EndUtc,
                };
                var evt = Event(Blank, moved, booking with { StartUtc = prepared.Start, EndUtc = prepared.End, Total = prepared.Price.Total, Deposit = prepared.Price.Deposit });
                await outbox.PublishAsync(evt, tx, cancellationToken);
            }
            return 0;
        }, 0, cancellationToken);
        var updated = await RequireAsync(bookingId, cancellationToken);
        await AuditAsync(actor, "booking.rescheduled", updated, booking, cancellationToken);
        return updated;
    }

    public async Task<Booking> CancelAsync(long bookingId, string? reason, AuditActor actor, bool byClient, CancellationToken cancellationToken = default)
    {
        var booking = await RequireAsync(bookingId, cancellationToken);
        var now = Now();
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > 500 })
            throw new BookingValidationException(T["The reason must be at most 500 characters."], "reason");
        if (booking.Status is not (BookingStatuses.Held or BookingStatuses.Confirmed or BookingStatuses.Blocked))
            throw new BookingStateException(T["This booking cannot be cancelled any more."]);
        if (byClient && booking.Status == BookingStatuses.Blocked)
            throw new BookingStateException(T["This booking cannot be cancelled any more."]);
        if (byClient && booking.StartUtc <= now)
            throw new BookingStateException(T["This session has already started; please contact the studio."]);
        var fee = Fee(booking, now);
        var info = booking.Status == BookingStatuses.Confirmed ? await EventInfoAsync(booking, cancellationToken) : null;
        await WriteAsync(async (connection, tx) =>
        {
            await UpdateAsync(connection, tx, booking, "status = @status, cancellation_fee = @fee, cancel_reason = @reason, hold_expires_utc = NULL",
                new { status = BookingStatuses.Cancelled, fee = Dialect.Money(fee), reason }, now, cancellationToken);
            await Deactivate(connection, tx, bookingId, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "cancelled", booking.Status, BookingStatuses.Cancelled, null, null, null, null,
                reason ?? (byClient ? T["By the client"].Value : null), cancellationToken);
            if (info is not null)
                await outbox.PublishAsync(Event(Cancelled, info, booking) with { CancellationFee = fee, Reason = reason, ByClient = byClient }, tx, cancellationToken);
            return 0;
        }, 0, cancellationToken);
        var updated = await RequireAsync(bookingId, cancellationToken);
        await AuditAsync(actor, "booking.cancelled", updated, booking, cancellationToken);
        return updated;
    }

    public async Task<Booking> CompleteAsync(long bookingId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var booking = await RequireAsync(bookingId, cancellationToken);
        var now = Now();
        if (booking.Status != BookingStatuses.Confirmed)
            throw new BookingStateException(T["Only a confirmed booking can be completed."]);
        if (booking.StartUtc > now)
            throw new BookingStateException(T["A session can be completed once it has started."]);
        var info = await EventInfoAsync(booking, cancellationToken);
        await WriteAsync(async (connection, tx) =>
        {
            await UpdateAsync(connection, tx, booking, "status = @status", new { status = BookingStatuses.Completed }, now, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "completed", booking.Status, BookingStatuses.Completed, null, null, null, null, null, cancellationToken);
            await outbox.PublishAsync(Event(Completed, info, booking), tx, cancellationToken);
            return 0;
        }, 0, cancellationToken);
        var updated = await RequireAsync(bookingId, cancellationToken);
        await AuditAsync(actor, "booking.completed", updated, booking, cancellationToken);
        return updated;
    }

    public async Task<Booking> MarkNoShowAsync(long bookingId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var booking = await RequireAsync(bookingId, cancellationToken);
        var now = Now();
        if (booking.Status != BookingStatuses.Confirmed)
            throw new BookingStateException(T["Only a confirmed booking can be marked as a no-show."]);
        if (booking.StartUtc > now)
            throw new BookingStateException(T["A session can be marked as a no-show once it has started."]);
        await WriteAsync(async (connection, tx) =>
        {
            await UpdateAsync(connection, tx, booking, "status = @status", new { status = BookingStatuses.NoShow }, now, cancellationToken);
            await Deactivate(connection, tx, bookingId, cancellationToken);
            await HistoryAsync(connection, tx, bookingId, now, actor, "no_show", booking.Status, BookingStatuses.NoShow, null, null, null, null, null, cancellationToken);
            return 0;
        }, 0, cancellationToken);
        var updated = await RequireAsync(bookingId, cancellationToken);
        await AuditAsync(actor, "booking.no-show", updated, booking, cancellationToken);
        return updated;
    }

    public async Task<decimal> CancellationFeeAsync(long bookingId, CancellationToken cancellationToken = default) =>
        Fee(await RequireAsync(bookingId, cancellationToken), Now());

    /// <summary>
    /// The fee for cancelling <paramref name="booking"/> at <paramref name="now"/>: nothing for a hold, blocked time
    /// or within the free period; otherwise the booking's own fee percentage (the policy in force when it was
    /// booked) of its total, rounded to the currency's minor unit (none for JPY), half away from zero.
    /// </summary>
    public static decimal Fee(Booking booking, DateTime now)
    {
        if (booking.Status != BookingStatuses.Confirmed)
            return 0m;
        if (now < booking.StartUtc.AddHours(-booking.FreeCancelHours))
            return 0m;
        return Studio.Currencies.Money.RoundAmount(booking.Total * booking.CancelFeePercent / 100m, booking.Currency);
    }

    public async Task<int> ExpireHoldsAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        // A read first: the sweep runs every minute, and most rounds find nothing — no write lock for that.
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var any = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM bk_bookings WHERE status = 'held' AND hold_expires_utc <= @now LIMIT 1",
                new { now = Dialect.Utc(now) }, cancellationToken: cancellationToken));
            if (any is null)
                return 0;
        }
        var expired = await WriteAsync((connection, tx) => ExpireStaleAsync(connection, tx, now, cancellationToken), 0, cancellationToken);
        if (expired.Count > 0)
            await audit.RecordAsync(new AuditRecord(AuditActor.System, "booking.holds.expired", null,
                After: new { bookings = expired }), cancellationToken);
        return expired.Count;
    }

    // ───────────────────────────── reads ─────────────────────────────

    private const string Columns =
        "id AS Id, reference AS Reference, series_id AS SeriesId, occurrence_utc AS OccurrenceUtc, client_id AS ClientId, " +
        "service_id AS ServiceId, room_id AS RoomId, session_kind AS SessionKind, location AS Location, status AS Status, " +
        "start_utc AS StartUtc, end_utc AS EndUtc, hold_expires_utc AS HoldExpiresUtc, buffer_before_minutes AS BufferBeforeMinutes, " +
        "buffer_after_minutes AS BufferAfterMinutes, currency AS Currency, total AS Total, deposit AS Deposit, deposit_percent AS DepositPercent, " +
        "free_cancel_hours AS FreeCancelHours, cancel_fee_percent AS CancelFeePercent, cancellation_fee AS CancellationFee, " +
        "cancel_reason AS CancelReason, title AS Title, notes AS Notes, created_by AS CreatedBy, created_utc AS CreatedUtc, " +
        "updated_utc AS UpdatedUtc, version AS Version";

    public async Task<Booking?> GetAsync(long bookingId, CancellationToken cancellationToken = default) =>
        (await ListByIdsAsync([bookingId], cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<Booking>> ListAsync(BookingQuery query, CancellationToken cancellationToken = default)
    {
        var where = new List<string>();
        var p = new DynamicParameters();
        if (query.FromUtc is { } from) { where.Add("b.end_utc > @from"); p.Add("from", Dialect.Utc(AsUtc(from))); }
        if (query.ToUtc is { } to) { where.Add("b.start_utc < @to"); p.Add("to", Dialect.Utc(AsUtc(to))); }
        if (query.RoomId is { } room) { where.Add("b.room_id = @room"); p.Add("room", room); }
        if (query.ClientId is { } client) { where.Add("b.client_id = @client"); p.Add("client", client); }
        if (query.EngineerId is { } engineer)
        {
            where.Add("b.id IN (SELECT x.booking_id FROM bk_allocations x WHERE x.resource_type = 'engineer' AND x.resource_id = @engineer)");
            p.Add("engineer", engineer);
        }
        if (query.Statuses is { Count: > 0 } statuses) { where.Add(Dialect.In("b.status", "statuses")); p.Add("statuses", statuses.ToArray()); }
        p.Add("limit", Math.Clamp(query.Limit, 1, 5000));
        var sql = $"SELECT {Columns.Replace("id AS Id", "b.id AS Id", StringComparison.Ordinal)} FROM bk_bookings b" +
                  (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY b.start_utc, b.id LIMIT @limit";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<BookingRow>(new CommandDefinition(sql, p, cancellationToken: cancellationToken))).ToList();
        return await CompleteAsync(connection, rows, cancellationToken);
    }

    public async Task<IReadOnlyList<BookingHistoryEntry>> HistoryAsync(long bookingId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<HistoryRow>(new CommandDefinition(
            "SELECT at_utc AS AtUtc, actor AS Actor, action AS Action, from_status AS FromStatus, to_status AS ToStatus, " +
            "old_start_utc AS OldStartUtc, old_end_utc AS OldEndUtc, new_start_utc AS NewStartUtc, new_end_utc AS NewEndUtc, note AS Note " +
            "FROM bk_booking_history WHERE booking_id = @id ORDER BY at_utc, id", new { id = bookingId }, cancellationToken: cancellationToken));
        return rows.Select(r => new BookingHistoryEntry(StoredUtc.Read(r.AtUtc), r.Actor, r.Action, r.FromStatus, r.ToStatus,
            StoredUtc.ReadOrNull(r.OldStartUtc), StoredUtc.ReadOrNull(r.OldEndUtc), StoredUtc.ReadOrNull(r.NewStartUtc),
            StoredUtc.ReadOrNull(r.NewEndUtc), r.Note)).ToList();
    }

    private async Task<List<Booking>> ListByIdsAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
            return [];
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<BookingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM bk_bookings WHERE {Dialect.In("id", "ids")} ORDER BY start_utc, id", new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToList();
        return await CompleteAsync(connection, rows, cancellationToken);
    }

    private async Task<Booking> RequireAsync(long bookingId, CancellationToken cancellationToken) =>
        await GetAsync(bookingId, cancellationToken) ?? throw new BookingStateException(T["This booking does not exist."], notFound: true);

    private async Task<List<Booking>> CompleteAsync(DbConnection connection, List<BookingRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return [];
        var ids = rows.Select(r => r.Id).ToArray();
        var allocations = new List<(long BookingId, string Type, long ResourceId)>();
        var people = new List<PersonRow>();
        // Chunked: SQLite allows a limited number of parameters per statement.
        foreach (var chunk in ids.Chunk(500))
        {
            allocations.AddRange(await connection.QueryAsync<(long, string, long)>(new CommandDefinition(
                $"SELECT booking_id, resource_type, resource_id FROM bk_allocations WHERE {Dialect.In("booking_id", "ids")} ORDER BY id",
                new { ids = chunk }, cancellationToken: cancellationToken)));
            people.AddRange(await connection.QueryAsync<PersonRow>(new CommandDefinition(
                "SELECT booking_id AS BookingId, role AS Role, engineer_id AS EngineerId, musician_id AS MusicianId, name AS Name, status AS Status " +
                $"FROM bk_booking_people WHERE {Dialect.In("booking_id", "ids")} ORDER BY id", new { ids = chunk }, cancellationToken: cancellationToken)));
        }
        var allocationsBy = allocations.ToLookup(a => a.BookingId);
        var peopleBy = people.ToLookup(p => p.BookingId);
        return rows.Select(r => r.ToBooking() with
        {
            EngineerIds = allocationsBy[r.Id].Where(a => a.Type == "engineer").Select(a => a.ResourceId).Distinct().ToList(),
            ResourceIds = allocationsBy[r.Id].Where(a => a.Type == "resource").Select(a => a.ResourceId).ToList(),
            People = peopleBy[r.Id].Select(p => new BookingPerson(p.Role, p.EngineerId, p.MusicianId, p.Name, p.Status)).ToList(),
        }).ToList();
    }

    // ───────────────────────────── preparation ─────────────────────────────

    /// <summary>Everything a booking write needs, read and validated before the transaction.</summary>
    private sealed record Prepared
    {
        public required BookingPolicy Policy { get; init; }
        public StudioService? Service { get; init; }
        public Room? Room { get; init; }
        public Engineer? Engineer { get; init; }
        public IReadOnlyList<Engineer> ExtraEngineers { get; init; } = [];
        public IReadOnlyList<BookableResource> Resources { get; init; } = [];
        public BookableResource? BlockedResource { get; init; }
        public IReadOnlyList<Musician> Musicians { get; init; } = [];
        public Client? Client { get; init; }
        public required DateTime Start { get; init; }
        public required DateTime End { get; init; }
        public int BufferBefore { get; init; }
        public int BufferAfter { get; init; }
        public required PriceQuote Price { get; init; }
        public required string SessionKind { get; init; }
        public required string Location { get; init; }
        public string? Title { get; init; }
        public string? Notes { get; init; }
    }

    private async Task<Prepared> PrepareAsync(BookingRequest request, bool clientRules, long? ignoreBookingId, CancellationToken cancellationToken,
        TimeSpan? fixedDuration = null)
    {
        var policy = await catalog.GetPolicyAsync(cancellationToken);
        var service = await catalog.GetServiceAsync(request.ServiceId, cancellationToken);
        if (service is null || service.Archived || (clientRules && !service.Public))
            throw new BookingValidationException(T["This service does not exist."], nameof(BookingRequest.ServiceId));
        var start = AsUtc(request.StartUtc);
        if (start.Second != 0 || start.Millisecond != 0 || start.Microsecond != 0)
            throw new BookingValidationException(T["A session starts on a whole minute."], nameof(BookingRequest.StartUtc));
        var duration = fixedDuration ?? TimeSpan.FromMinutes(EngineRules.DurationMinutes(service, request.Units, T));
        var end = start + duration;

        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        if (notes is { Length: > 4000 })
            throw new BookingValidationException(T["Notes must be at most 4000 characters."], nameof(BookingRequest.Notes));
        var sessionKind = string.IsNullOrWhiteSpace(request.SessionKind) ? service.SessionKind : request.SessionKind.Trim();
        if (!SessionKinds.All.Contains(sessionKind))
            throw new BookingValidationException(T["Unknown session kind."], nameof(BookingRequest.SessionKind));
        var location = string.IsNullOrWhiteSpace(request.Location) ? service.Location : request.Location.Trim();
        if (!SessionKinds.Locations.Contains(location))
            throw new BookingValidationException(T["Unknown session location."], nameof(BookingRequest.Location));

        Client? client = null;
        if (request.ClientId is { } clientId && ((client = await clients.GetAsync(clientId, cancellationToken)) is null || client.Archived))
            throw new BookingValidationException(T["This client does not exist."], nameof(BookingRequest.ClientId));

        // Where and with whom: named ones must be able to deliver the service; missing ones are chosen from the
        // offered slots (for a client always: the time must be one the studio offers).
        var roomId = request.RoomId;
        var engineerId = request.EngineerId;
        var needsRoom = service.RequiresRoom;
        var needsEngineer = service.RequiresEngineer || engineerId is not null;
        if (clientRules || (needsRoom && roomId is null) || (service.RequiresEngineer && engineerId is null))
        {
            var zone = LocalTime.Zone(tenant.TimeZone);
            var day = DateOnly.FromDateTime(LocalTime.ToLocal(start, zone));
            var query = new SlotQuery(service.Id, day, day, roomId, engineerId, request.Units);
            var slot = (await availability.FindAsync(query, ignoreBookingId, clientRules, cancellationToken, ignoreBusy: false, duration))
                .FirstOrDefault(s => s.StartUtc == start);
            if (slot is null)
            {
                // Not offered: either the rules forbid that time (say so) or someone took it first (the race is lost).
                var open = (await availability.FindAsync(query, ignoreBookingId, clientRules, cancellationToken, ignoreBusy: true, duration))
                    .FirstOrDefault(s => s.StartUtc == start);
                if (open is null)
                    throw new BookingValidationException(T["This time cannot be booked; please choose one of the offered slots."], nameof(BookingRequest.StartUtc));
                throw new SlotTakenException(T["This slot was just taken. Please choose another time."]);
            }
            roomId ??= slot.RoomId;
            engineerId ??= slot.EngineerId;
        }

        Room? room = null;
        if (needsRoom)
        {
            var candidates = await availability.CandidateRoomsAsync(service, roomId, cancellationToken);
            room = candidates[0];
        }
        else if (roomId is not null)
            throw new BookingValidationException(T["This service is not delivered in a room."], nameof(BookingRequest.RoomId));
        Engineer? engineer = null;
        if (needsEngineer)
        {
            if (engineerId is null)
                throw new BookingValidationException(T["Choose an engineer."], nameof(BookingRequest.EngineerId));
            engineer = (await availability.CandidateEngineersAsync(service, engineerId, cancellationToken))[0];
        }

        var extra = new List<Engineer>();
        foreach (var id in request.ExtraEngineerIds.Distinct())
        {
            if (id == engineer?.Id)
                continue;
            var e = await catalog.GetEngineerAsync(id, cancellationToken);
            if (e is null || !e.Active)
                throw new BookingValidationException(T["This engineer does not exist."], nameof(BookingRequest.ExtraEngineerIds));
            extra.Add(e);
        }
        var resources = new List<BookableResource>();
        foreach (var id in request.ResourceIds)
        {
            var r = resources.FirstOrDefault(x => x.Id == id) ?? await catalog.GetResourceAsync(id, cancellationToken);
            if (r is null || r.Archived)
                throw new BookingValidationException(T["This equipment does not exist."], nameof(BookingRequest.ResourceIds));
            if (r.Status != "operational")
                throw new BookingValidationException(T["{0} is not available (maintenance or out of service).", r.Name], nameof(BookingRequest.ResourceIds));
            if (resources.Count(x => x.Id == id) + 1 > r.Quantity)
                throw new BookingValidationException(T["The studio has only {0} of {1}.", r.Quantity, r.Name], nameof(BookingRequest.ResourceIds));
            resources.Add(r);
        }
        // Engineers on time off are never booked, not even by staff (working hours, unlike time off, staff may exceed).
        foreach (var e in (engineer is null ? [] : new List<Engineer> { engineer }).Concat(extra))
            if ((await catalog.ListTimeOffAsync(e.Id, start.AddMinutes(-1), end.AddMinutes(1), cancellationToken)).Any(t => t.StartUtc < end && t.EndUtc > start))
                throw new BookingValidationException(T["{0} is off at that time.", e.DisplayName], nameof(BookingRequest.EngineerId));
        var musicians = new List<Musician>();
        if (request.MusicianIds.Count > 0)
        {
            var all = await catalog.ListMusiciansAsync(cancellationToken);
            foreach (var id in request.MusicianIds.Distinct())
                musicians.Add(all.FirstOrDefault(m => m.Id == id && !m.Archived)
                    ?? throw new BookingValidationException(T["This musician does not exist."], nameof(BookingRequest.MusicianIds)));
        }

        return new Prepared
        {
            Policy = policy, Service = service, Room = room, Engineer = engineer, ExtraEngineers = extra, Resources = resources,
            Musicians = musicians, Client = client, Start = start, End = end,
            BufferBefore = room?.BufferBeforeMinutes ?? policy.BufferBeforeMinutes,
            BufferAfter = room?.BufferAfterMinutes ?? policy.BufferAfterMinutes,
            Price = pricing.Quote(service, room, start, end, client, policy),
            SessionKind = sessionKind, Location = location, Notes = notes,
        };
    }

    // ───────────────────────────── transaction parts ─────────────────────────────

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits. <paramref name="countsAgainstPlan"/> bookings
    /// are checked against the plan's monthly limit inside it (PostgreSQL: under a per-tenant transaction lock, so
    /// two concurrent bookings cannot both take the last place). A lost race on PostgreSQL's exclusion constraint
    /// becomes a <see cref="SlotTakenException"/>.
    /// </summary>
    private async Task<TResult> WriteAsync<TResult>(Func<DbConnection, DbTransaction, Task<TResult>> work, int countsAgainstPlan, CancellationToken cancellationToken)
    {
        var limit = countsAgainstPlan > 0 ? await limits.GetAsync(PlanLimitKeys.BookingsPerMonth, cancellationToken) : null;
        long? over = null;
        // SQLite: writers of this instance queue here asynchronously rather than in SQLite's thread-blocking busy wait.
        using var turn = Dialect == SqlDialect.Sqlite ? await sqliteWriteGate.EnterAsync(cancellationToken) : null;
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            // SQLite: BeginTransaction is BEGIN IMMEDIATE — one writer at a time, so a check then insert is exact.
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            if (limit is { } max)
            {
                if (Dialect == SqlDialect.Postgres)
                    await connection.ExecuteAsync(new CommandDefinition(
                        "SELECT pg_advisory_xact_lock(hashtext('bk_bookings_month:' || current_schema()))", transaction: tx, cancellationToken: cancellationToken));
                var count = await CountThisMonthAsync(connection, tx, cancellationToken);
                if (count + countsAgainstPlan > max)
                    over = count + countsAgainstPlan;
            }
            if (over is null)
            {
                var result = await work(connection, tx);
                await tx.CommitAsync(cancellationToken);
                return result;
            }
        }
        catch (DbException e) when (EngineSql.IsOverlap(e))
        {
            throw new SlotTakenException(T["This slot was just taken. Please choose another time."]);
        }
        // Over the limit: nothing was written (the transaction is rolled back); the plan says why.
        await limits.EnsureWithinAsync(PlanLimitKeys.BookingsPerMonth, over.Value, cancellationToken);
        throw new PlanLimitExceededException(PlanLimitKeys.BookingsPerMonth, limit!.Value,
            T["Your plan allows {0} bookings a month; move to a larger plan to take more.", limit.Value]);
    }

    /// <summary>Bookings created this calendar month (tenant's zone), blocked time and expired holds excluded.</summary>
    private async Task<long> CountThisMonthAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken)
    {
        var zone = LocalTime.Zone(tenant.TimeZone);
        var local = LocalTime.ToLocal(Now(), zone);
        var monthStart = LocalTime.ToUtc(new DateTime(local.Year, local.Month, 1), zone);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM bk_bookings WHERE created_utc >= @start AND status NOT IN ('blocked', 'expired')",
            new { start = Dialect.Utc(monthStart) }, tx, cancellationToken: cancellationToken));
    }

    /// <summary>Marks holds past their time expired and frees their allocations; returns their ids.</summary>
    private async Task<IReadOnlyList<long>> ExpireStaleAsync(DbConnection connection, DbTransaction tx, DateTime now, CancellationToken cancellationToken)
    {
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM bk_bookings WHERE status = 'held' AND hold_expires_utc <= @now ORDER BY id",
            new { now = Dialect.Utc(now) }, tx, cancellationToken: cancellationToken))).ToList();
        if (ids.Count == 0)
            return ids;
        var expired = new List<long>();
        foreach (var id in ids)
        {
            // Guarded by status: a concurrent transaction may have expired (or confirmed) it meanwhile.
            var changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE bk_bookings SET status = 'expired', version = version + 1, updated_utc = @now WHERE id = @id AND status = 'held' AND hold_expires_utc <= @now",
                new { id, now = Dialect.Utc(now) }, tx, cancellationToken: cancellationToken));
            if (changed == 0)
                continue;
            await Deactivate(connection, tx, id, cancellationToken);
            await HistoryAsync(connection, tx, id, now, AuditActor.System, "expired", BookingStatuses.Held, BookingStatuses.Expired, null, null, null, null, null, cancellationToken);
            expired.Add(id);
        }
        return expired;
    }

    private async Task<long> InsertAsync(DbConnection connection, DbTransaction tx, Prepared p, string status, DateTime? holdExpires,
        long? seriesId, DateTime? occurrence, AuditActor actor, DateTime now, CancellationToken cancellationToken)
    {
        var reference = await NewReferenceAsync(connection, tx, cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO bk_bookings (reference, series_id, occurrence_utc, client_id, service_id, room_id, session_kind, location, status,
                start_utc, end_utc, hold_expires_utc, buffer_before_minutes, buffer_after_minutes, currency, total, deposit, deposit_percent,
                free_cancel_hours, cancel_fee_percent, cancellation_fee, cancel_reason, title, notes, created_by, created_utc, updated_utc, version)
            VALUES (@reference, @seriesId, @occurrence, @client, @service, @room, @kind, @location, @status,
                @start, @end, @holdExpires, @before, @after, @currency, @total, @deposit, @depositPercent,
                @freeCancel, @feePercent, NULL, NULL, @title, @notes, @createdBy, @now, @now, 1)
            RETURNING id
            """,
            new
            {
                reference, seriesId, occurrence = Dialect.Utc(occurrence), client = p.Client?.Id, service = p.Service?.Id, room = p.Room?.Id,
                kind = p.SessionKind, location = p.Location, status, start = Dialect.Utc(p.Start), end = Dialect.Utc(p.End),
                holdExpires = Dialect.Utc(holdExpires), before = p.BufferBefore, after = p.BufferAfter, currency = p.Price.Currency,
                total = Dialect.Money(p.Price.Total), deposit = Dialect.Money(p.Price.Deposit), depositPercent = p.Price.DepositPercent,
                // The cancellation policy in force now goes with the booking: a later catalogue change never alters it.
                freeCancel = p.Service?.FreeCancelHours ?? 0, feePercent = p.Service?.CancelFeePercent ?? 0,
                title = p.Title ?? p.Service?.Name, notes = p.Notes, createdBy = Truncate(actor.Id, 450), now = Dialect.Utc(now),
            }, tx, cancellationToken: cancellationToken));
        await AllocateAsync(connection, tx, id, p, cancellationToken);

        if (p.Engineer is { } main)
            await PersonAsync(connection, tx, id, "engineer", main.Id, null, main.DisplayName, cancellationToken);
        foreach (var e in p.ExtraEngineers)
            await PersonAsync(connection, tx, id, "engineer", e.Id, null, e.DisplayName, cancellationToken);
        foreach (var m in p.Musicians)
            await PersonAsync(connection, tx, id, "musician", null, m.Id, m.Name, cancellationToken);
        return id;
    }

    /// <summary>
    /// Writes the allocations of a booking (buffers included) after checking none overlaps an active one. On
    /// SQLite the check is the guarantee (the transaction is the only writer); on PostgreSQL it gives the early
    /// answer and the exclusion constraint the guarantee.
    /// </summary>
    private async Task AllocateAsync(DbConnection connection, DbTransaction tx, long bookingId, Prepared p, CancellationToken cancellationToken)
    {
        var from = p.Start.AddMinutes(-p.BufferBefore);
        var to = p.End.AddMinutes(p.BufferAfter);
        var wanted = new List<(string Type, long Id, int Unit)>();
        if (p.Room is { } room) wanted.Add(("room", room.Id, 0));
        if (p.Engineer is { } engineer) wanted.Add(("engineer", engineer.Id, 0));
        foreach (var e in p.ExtraEngineers) wanted.Add(("engineer", e.Id, 0));
        foreach (var (type, id, unit) in wanted)
            if (await OverlapsAsync(connection, tx, type, id, unit, from, to, cancellationToken))
                throw new SlotTakenException(T["This slot was just taken. Please choose another time."]);

        // Equipment: any free unit; blocking equipment takes all of them.
        foreach (var group in p.Resources.GroupBy(r => r.Id))
        {
            var resource = group.First();
            var used = (await connection.QueryAsync<long>(new CommandDefinition(
                $"SELECT DISTINCT unit FROM bk_allocations WHERE active = {Dialect.True()} AND resource_type = 'resource' AND resource_id = @id AND start_utc < @to AND end_utc > @from",
                new { id = resource.Id, from = Dialect.Utc(from), to = Dialect.Utc(to) }, tx, cancellationToken: cancellationToken))).ToHashSet();
            var free = Enumerable.Range(0, resource.Quantity).Where(u => !used.Contains(u)).Take(group.Count()).ToList();
            if (free.Count < group.Count())
                throw new SlotTakenException(T["{0} is already booked at that time.", resource.Name]);
            wanted.AddRange(free.Select(u => ("resource", resource.Id, u)));
        }
        if (p.BlockedResource is { } blocked)
        {
            for (var unit = 0; unit < blocked.Quantity; unit++)
                if (await OverlapsAsync(connection, tx, "resource", blocked.Id, unit, from, to, cancellationToken))
                    throw new SlotTakenException(T["{0} is already booked at that time.", blocked.Name]);
            wanted.AddRange(Enumerable.Range(0, blocked.Quantity).Select(u => ("resource", blocked.Id, u)));
        }

        foreach (var (type, id, unit) in wanted)
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO bk_allocations (booking_id, resource_type, resource_id, unit, start_utc, end_utc, active) VALUES (@booking, @type, @id, @unit, @from, @to, @active)",
                new { booking = bookingId, type, id, unit, from = Dialect.Utc(from), to = Dialect.Utc(to), active = Dialect.Flag(true) }, tx, cancellationToken: cancellationToken));
    }

    private async Task<bool> OverlapsAsync(DbConnection connection, DbTransaction tx, string type, long id, int unit, DateTime from, DateTime to, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT booking_id FROM bk_allocations WHERE active = {Dialect.True()} AND resource_type = @type AND resource_id = @id AND unit = @unit AND start_utc < @to AND end_utc > @from LIMIT 1",
            new { type, id, unit, from = Dialect.Utc(from), to = Dialect.Utc(to) }, tx, cancellationToken: cancellationToken)) is not null;

    private Task Deactivate(DbConnection connection, DbTransaction tx, long bookingId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"UPDATE bk_allocations SET active = {Dialect.False()} WHERE booking_id = @id",
            new { id = bookingId }, tx, cancellationToken: cancellationToken));

    private Task PersonAsync(DbConnection connection, DbTransaction tx, long bookingId, string role, long? engineerId, long? musicianId, string name, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO bk_booking_people (booking_id, role, engineer_id, musician_id, name, status) VALUES (@bookingId, @role, @engineerId, @musicianId, @name, 'confirmed')",
            new { bookingId, role, engineerId, musicianId, name = Truncate(name, 200) }, tx, cancellationToken: cancellationToken));

    /// <summary>Updates a booking read before the transaction, only if nobody changed it meanwhile.</summary>
    private async Task UpdateAsync(DbConnection connection, DbTransaction tx, Booking booking, string set, object values, DateTime now, CancellationToken cancellationToken)
    {
        var p = new DynamicParameters(values);
        p.Add("id", booking.Id);
        p.Add("version", booking.Version);
        p.Add("updated", Dialect.Utc(now));
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE bk_bookings SET {set}, version = version + 1, updated_utc = @updated WHERE id = @id AND version = @version", p, tx, cancellationToken: cancellationToken));
        if (changed == 0)
            throw new BookingStateException(T["This booking was changed meanwhile; please reload it and try again."]);
    }

    private Task HistoryAsync(DbConnection connection, DbTransaction tx, long bookingId, DateTime now, AuditActor actor, string action,
        string? fromStatus, string? toStatus, DateTime? oldStart, DateTime? oldEnd, DateTime? newStart, DateTime? newEnd, string? note, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO bk_booking_history (booking_id, at_utc, actor, action, from_status, to_status, old_start_utc, old_end_utc, new_start_utc, new_end_utc, note) " +
            "VALUES (@bookingId, @now, @actor, @action, @fromStatus, @toStatus, @oldStart, @oldEnd, @newStart, @newEnd, @note)",
            new
            {
                bookingId, now = Dialect.Utc(now), actor = Truncate(actor.Name, 200), action, fromStatus, toStatus,
                oldStart = Dialect.Utc(oldStart), oldEnd = Dialect.Utc(oldEnd), newStart = Dialect.Utc(newStart), newEnd = Dialect.Utc(newEnd), note,
            }, tx, cancellationToken: cancellationToken));

    private async Task<string> NewReferenceAsync(DbConnection connection, DbTransaction tx, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reference = "BK-" + RandomNumberGenerator.GetString(ReferenceAlphabet, attempt < 5 ? 6 : 8);
            var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM bk_bookings WHERE reference = @reference", new { reference }, tx, cancellationToken: cancellationToken));
            if (taken == 0)
                return reference;
        }
    }

    private static async Task<string> ReferenceOfAsync(DbConnection connection, DbTransaction tx, long bookingId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT reference FROM bk_bookings WHERE id = @bookingId",
            new { bookingId }, tx, cancellationToken: cancellationToken)) ?? "";

    // ───────────────────────────── events and audit ─────────────────────────────

    /// <summary>Names and contacts an event carries, read before the transaction.</summary>
    private sealed record EventInfo(StudioService? Service, Room? Room, IReadOnlyList<Engineer> Engineers, Client? Client);

    private async Task<EventInfo> EventInfoAsync(Booking booking, CancellationToken cancellationToken)
    {
        var service = booking.ServiceId is { } s ? await catalog.GetServiceAsync(s, cancellationToken) : null;
        var room = booking.RoomId is { } r ? await catalog.GetRoomAsync(r, cancellationToken) : null;
        var engineers = new List<Engineer>();
        foreach (var id in booking.EngineerIds)
            if (await catalog.GetEngineerAsync(id, cancellationToken) is { } e)
                engineers.Add(e);
        var client = booking.ClientId is { } c ? await clients.GetAsync(c, cancellationToken) : null;
        return new EventInfo(service, room, engineers, client);
    }

    private static BookingConfirmed Confirmed() => new() { BookingId = 0, Reference = "", StartUtc = default, EndUtc = default, TimeZone = "" };
    private static BookingCancelled Cancelled() => new() { BookingId = 0, Reference = "", StartUtc = default, EndUtc = default, TimeZone = "" };
    private static BookingCompleted Completed() => new() { BookingId = 0, Reference = "", StartUtc = default, EndUtc = default, TimeZone = "" };

    private TEvent Event<TEvent>(Func<TEvent> blank, EventInfo info, Booking booking) where TEvent : BookingEventBase => (TEvent)(blank() with
    {
        BookingId = booking.Id,
        Reference = booking.Reference,
        SeriesId = booking.SeriesId,
        ClientId = booking.ClientId,
        ClientName = info.Client?.Name,
        ClientEmail = info.Client?.Email,
        ClientPhone = info.Client?.Phone,
        ClientCulture = info.Client?.Culture,
        ServiceName = info.Service?.Name,
        RoomName = info.Room?.Name,
        EngineerUserIds = info.Engineers.Select(e => e.UserId).ToList(),
        StartUtc = booking.StartUtc,
        EndUtc = booking.EndUtc,
        TimeZone = tenant.TimeZone,
        Total = booking.Total,
        Deposit = booking.Deposit,
        Currency = booking.Currency,
    });

    private BookingConfirmed Event(Prepared p, long bookingId, string reference, long? seriesId) =>
        Event(Confirmed, new EventInfo(p.Service, p.Room, (p.Engineer is null ? [] : new List<Engineer> { p.Engineer }).Concat(p.ExtraEngineers).ToList(), p.Client),
            new Booking
            {
                Id = bookingId, Reference = reference, SeriesId = seriesId, ClientId = p.Client?.Id, StartUtc = p.Start, EndUtc = p.End,
                Total = p.Price.Total, Deposit = p.Price.Deposit, Currency = p.Price.Currency,
            });

    private Task AuditAsync(AuditActor actor, string action, Booking after, Booking? before, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(actor, action, "booking:" + after.Reference, before is null ? null : Summary(before), Summary(after)), cancellationToken);

    private static object Summary(Booking b) => new
    {
        b.Id, b.Reference, b.Status, b.StartUtc, b.EndUtc, b.RoomId, b.ServiceId, b.ClientId, b.EngineerIds, b.ResourceIds,
        b.Total, b.Deposit, b.Currency, b.CancellationFee, b.SeriesId,
    };

    // ───────────────────────────── helpers ─────────────────────────────

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // Stored instants keep microseconds on PostgreSQL and 100 ns on SQLite: compare like with like.
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];

    private sealed class BookingRow
    {
        public long Id { get; set; }
        public string Reference { get; set; } = "";
        public long? SeriesId { get; set; }
        public object? OccurrenceUtc { get; set; }
        public long? ClientId { get; set; }
        public long? ServiceId { get; set; }
        public long? RoomId { get; set; }
        public string SessionKind { get; set; } = "";
        public string Location { get; set; } = "";
        public string Status { get; set; } = "";
        public object? StartUtc { get; set; }
        public object? EndUtc { get; set; }
        public object? HoldExpiresUtc { get; set; }
        public long BufferBeforeMinutes { get; set; }
        public long BufferAfterMinutes { get; set; }
        public string Currency { get; set; } = "";
        public object? Total { get; set; }
        public object? Deposit { get; set; }
        public long DepositPercent { get; set; }
        public long FreeCancelHours { get; set; }
        public long CancelFeePercent { get; set; }
        public object? CancellationFee { get; set; }
        public string? CancelReason { get; set; }
        public string? Title { get; set; }
        public string? Notes { get; set; }
        public string CreatedBy { get; set; } = "";
        public object? CreatedUtc { get; set; }
        public object? UpdatedUtc { get; set; }
        public long Version { get; set; }

        public Booking ToBooking() => new()
        {
            Id = Id, Reference = Reference, SeriesId = SeriesId, OccurrenceUtc = StoredUtc.ReadOrNull(OccurrenceUtc), ClientId = ClientId,
            ServiceId = ServiceId, RoomId = RoomId, SessionKind = SessionKind, Location = Location, Status = Status,
            StartUtc = StoredUtc.Read(StartUtc), EndUtc = StoredUtc.Read(EndUtc), HoldExpiresUtc = StoredUtc.ReadOrNull(HoldExpiresUtc),
            BufferBeforeMinutes = (int)BufferBeforeMinutes, BufferAfterMinutes = (int)BufferAfterMinutes, Currency = Currency,
            Total = EngineSql.ReadMoney(Total), Deposit = EngineSql.ReadMoney(Deposit), DepositPercent = (int)DepositPercent,
            FreeCancelHours = (int)FreeCancelHours, CancelFeePercent = (int)CancelFeePercent, CancellationFee = EngineSql.ReadMoneyOrNull(CancellationFee),
            CancelReason = CancelReason, Title = Title, Notes = Notes, CreatedBy = CreatedBy,
            CreatedUtc = StoredUtc.Read(CreatedUtc), UpdatedUtc = StoredUtc.Read(UpdatedUtc), Version = (int)Version,
        };
    }

    private sealed class PersonRow
    {
        public long BookingId { get; set; }
        public string Role { get; set; } = "";
        public long? EngineerId { get; set; }
        public long? MusicianId { get; set; }
        public string Name { get; set; } = "";
        public string Status { get; set; } = "";
    }

    private sealed class HistoryRow
    {
        public object? AtUtc { get; set; }
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string? FromStatus { get; set; }
        public string? ToStatus { get; set; }
        public object? OldStartUtc { get; set; }
        public object? OldEndUtc { get; set; }
        public object? NewStartUtc { get; set; }
        public object? NewEndUtc { get; set; }
        public string? Note { get; set; }
    }
}
