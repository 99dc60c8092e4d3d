using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Studio.Audit;
using Studio.Data;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Platform;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Bookings;

/// <summary>
/// A host whose PostgreSQL pool is capped, so a test firing 100 concurrent bookings waits for connections instead
/// of taking the whole server's (other test hosts share it).
/// </summary>
public sealed class BookingEngineFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        if (settings["Studio:Postgres"] is { Length: > 0 } postgres)
            settings["Studio:Postgres"] = postgres + ";Maximum Pool Size=30;Timeout=60";
        return settings;
    }
}

/// <summary>
/// The booking engine and availability (IBookingEngine, IAvailabilityService) on the real catalogue and client
/// directory, at a fixed clock (2027-03-20 12:00 UTC, a week before Europe's spring DST change).
/// </summary>
public sealed class BookingEngineTests(BookingEngineFactory factory) : StudioTest<BookingEngineFactory>(factory)
{
    private static readonly AuditActor Staff = new("staff-1", "Front Desk");
    private static readonly DateTimeOffset Anchor = new(2027, 3, 20, 12, 0, 0, TimeSpan.Zero);
    private const string Zone = "Europe/Paris";

    /// <summary>A studio: one room open 09:00–17:00 every day (Paris time), an hourly service at the room's rates.</summary>
    private sealed record Studio(TestTenant Tenant, FakeTimeProvider Clock, long RoomId, long ServiceId, long ClientId);

    private async Task<Studio> StudioAsync(Func<BookingPolicy, BookingPolicy>? policy = null, Func<StudioService, StudioService>? service = null,
        string? plan = null, int open = 9 * 60, int close = 17 * 60)
    {
        var tenant = await CreateTenantAsync(["Studio.Bookings"], r => r with { TimeZone = Zone, Plan = plan });
        var clock = new FakeTimeProvider(Anchor);
        var (roomId, serviceId, clientId) = await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            var p = new BookingPolicy { MinNoticeMinutes = 60, MaxAdvanceDays = 400, SlotStepMinutes = 30, HoldMinutes = 15 };
            await catalog.SavePolicyAsync(policy?.Invoke(p) ?? p, Staff);
            var room = await catalog.SaveRoomAsync(new Room
            {
                Name = "Studio A", Kind = RoomKinds.Recording, Description = "Live room", Capacity = 5,
                HourlyRate = 50m, HalfDayRate = 180m, FullDayRate = 320m, BufferAfterMinutes = 15,
            }, Staff);
            await catalog.SetOpeningHoursAsync(room.Id, Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours(d, open, close)).ToList(), Staff);
            var s = new StudioService
            {
                Name = "Recording hour", Description = "Tracking with the room", DurationKind = DurationKinds.Hourly, DurationMinutes = 60,
                MinUnits = 1, MaxUnits = 8, PriceKind = PriceKinds.RoomRate, Price = 0m, DepositPercent = 30,
                FreeCancelHours = 48, CancelFeePercent = 50, RequiresRoom = true, Public = true,
            };
            var saved = await catalog.SaveServiceAsync(service?.Invoke(s) ?? s, Staff);
            var client = await sp.GetRequiredService<IClientDirectory>().SaveAsync(new Client { Kind = "person", Name = "Ada Lovelace", Email = "ada@example.org" }, Staff);
            return (room.Id, saved.Id, client.Id);
        });
        return new Studio(tenant, clock, roomId, serviceId, clientId);
    }

    private Task<T> InEngineAsync<T>(Studio studio, Func<BookingEngine, AvailabilityService, IServiceProvider, Task<T>> work) =>
        Factory.InTenantAsync(studio.Tenant.Name, sp =>
        {
            var availability = ActivatorUtilities.CreateInstance<AvailabilityService>(sp, studio.Clock);
            var engine = ActivatorUtilities.CreateInstance<BookingEngine>(sp, studio.Clock, availability);
            return work(engine, availability, sp);
        });

    private Task<T> InEngineAsync<T>(Studio studio, Func<BookingEngine, Task<T>> work) => InEngineAsync(studio, (e, _, _) => work(e));

    private Task<long> CountAsync(Studio studio, string sql, object? args = null) =>
        Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>(sql, args);
        });

    private static DateTime Paris(int year, int month, int day, int hour, int minute = 0) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, minute, 0), TimeZoneInfo.FindSystemTimeZoneById(Zone));

    private BookingRequest Request(Studio studio, DateTime startUtc, int hours = 2, bool withRoom = true, bool withClient = true) => new()
    {
        ServiceId = studio.ServiceId, StartUtc = startUtc, Units = hours, RoomId = withRoom ? studio.RoomId : null,
        ClientId = withClient ? studio.ClientId : null,
    };

    [Fact]
    public async Task Availability_follows_opening_hours_buffers_closures_special_hours_and_bookings()
    {
        var studio = await StudioAsync();
        var day = new DateOnly(2027, 3, 24); // a Wednesday, CET (UTC+1)
        var slots = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, day, day, Units: 2)));
        // 09:00 … 15:00 local every 30 minutes: the session ends by closing time.
        Assert.Equal(Enumerable.Range(0, 13).Select(i => Paris(2027, 3, 24, 9).AddMinutes(30 * i)), slots.Select(s => s.StartUtc));
        Assert.All(slots, s => Assert.Equal(studio.RoomId, s.RoomId));
        Assert.All(slots, s => Assert.Equal(100m, s.Price.Total)); // 2 h × 50
        Assert.All(slots, s => Assert.Equal(30m, s.Price.Deposit));

        // 11:00–13:00 booked; the room's 15-minute tear-down keeps it busy until 13:15.
        await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 24, 11)), Staff));
        slots = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, day, day, Units: 2)));
        // A new session needs its own 15 minutes after it too: 09:00–11:15 would touch 11:00, so nothing before.
        Assert.Equal(new[] { 13.5, 14, 14.5, 15 }.Select(h => Paris(2027, 3, 24, 9).AddHours(h - 9)), slots.Select(s => s.StartUtc));

        await Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            await catalog.SaveClosureAsync(new Closure(0, null, day.AddDays(1), day.AddDays(1), null, null, "Holiday"), Staff);
            await catalog.SaveClosureAsync(new Closure(0, studio.RoomId, day.AddDays(2), day.AddDays(2), 10 * 60, 12 * 60, "Short day"), Staff);
            return 0;
        });
        var later = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, day.AddDays(1), day.AddDays(2), Units: 2)));
        Assert.Equal([Paris(2027, 3, 26, 10)], later.Select(s => s.StartUtc));

        // Minimum notice (60 min): nothing today before 13:00 UTC (clock 12:00 UTC, 13:00 Paris).
        var today = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, new DateOnly(2027, 3, 20), new DateOnly(2027, 3, 20), Units: 1)));
        Assert.Equal(Anchor.UtcDateTime.AddHours(1), today[0].StartUtc);

        var bad = await Assert.ThrowsAsync<BookingValidationException>(() =>
            InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, day, day, Units: 9))));
        Assert.Equal(nameof(SlotQuery.Units), bad.Field);
    }

    [Fact]
    public async Task Hold_then_confirm_writes_history_audit_and_one_event_in_the_same_transaction()
    {
        var studio = await StudioAsync();
        var start = Paris(2027, 3, 25, 10);
        var held = await InEngineAsync(studio, e => e.HoldAsync(Request(studio, start, withRoom: false, withClient: false), AuditActor.Anonymous));
        Assert.Equal(BookingStatuses.Held, held.Status);
        Assert.Equal(studio.RoomId, held.RoomId); // chosen from the offered slot
        Assert.Equal(Anchor.UtcDateTime.AddMinutes(15), held.HoldExpiresUtc);
        Assert.Equal(start.AddHours(2), held.EndUtc);
        Assert.Equal(100m, held.Total);
        Assert.Equal(48, held.FreeCancelHours);
        Assert.Matches("^BK-[A-Z2-9]{6}$", held.Reference);
        Assert.Equal(0, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events"));

        // The slot is now taken for everyone else.
        var slots = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, new DateOnly(2027, 3, 25), new DateOnly(2027, 3, 25), Units: 2)));
        Assert.DoesNotContain(slots, s => s.StartUtc == start);
        var taken = await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.HoldAsync(Request(studio, start), AuditActor.Anonymous)));
        Assert.Contains("just taken", taken.Message);

        var mine = await InEngineAsync(studio, e => e.AssignClientAsync(held.Id, studio.ClientId, Staff));
        Assert.Equal(studio.ClientId, mine.ClientId);
        var confirmed = await InEngineAsync(studio, e => e.ConfirmAsync(held.Id, Staff));
        Assert.Equal(BookingStatuses.Confirmed, confirmed.Status);
        Assert.Null(confirmed.HoldExpiresUtc);
        await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.ConfirmAsync(held.Id, Staff)));

        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events WHERE name = 'bookings.booking-confirmed.v1'"));
        var history = await InEngineAsync(studio, e => e.HistoryAsync(held.Id));
        Assert.Equal(["held", "client", "confirmed"], history.Select(h => h.Action));
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM audit_entries WHERE action = 'booking.confirmed'"));

        var listed = await InEngineAsync(studio, e => e.ListAsync(new BookingQuery(ClientId: studio.ClientId)));
        Assert.Equal(held.Id, Assert.Single(listed).Id);
        Assert.Empty(await InEngineAsync(studio, e => e.ListAsync(new BookingQuery(Statuses: [BookingStatuses.Cancelled]))));
    }

    [Fact]
    public async Task A_client_cannot_hold_outside_the_offered_slots()
    {
        var studio = await StudioAsync();
        var early = await Assert.ThrowsAsync<BookingValidationException>(() =>
            InEngineAsync(studio, e => e.HoldAsync(Request(studio, Paris(2027, 3, 25, 7)), AuditActor.Anonymous)));
        Assert.Equal(nameof(BookingRequest.StartUtc), early.Field);
        // Too soon (minimum notice), too late in the day, and too far ahead.
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.HoldAsync(Request(studio, Anchor.UtcDateTime.AddMinutes(30)), AuditActor.Anonymous)));
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.HoldAsync(Request(studio, Paris(2027, 3, 25, 16)), AuditActor.Anonymous)));
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.HoldAsync(Request(studio, Paris(2028, 6, 1, 10)), AuditActor.Anonymous)));
        Assert.Equal(0, await CountAsync(studio, "SELECT COUNT(*) FROM bk_bookings"));
    }

    [Fact]
    public async Task An_expired_hold_frees_its_slot_and_can_no_longer_be_confirmed()
    {
        var studio = await StudioAsync();
        var start = Paris(2027, 3, 25, 10);
        var held = await InEngineAsync(studio, e => e.HoldAsync(Request(studio, start), AuditActor.Anonymous));
        studio.Clock.Advance(TimeSpan.FromMinutes(16));

        var slots = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, new DateOnly(2027, 3, 25), new DateOnly(2027, 3, 25), Units: 2)));
        Assert.Contains(slots, s => s.StartUtc == start);
        var expired = await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.ConfirmAsync(held.Id, Staff)));
        Assert.Contains("expired", expired.Message);

        Assert.Equal(1, await InEngineAsync(studio, e => e.ExpireHoldsAsync()));
        Assert.Equal(0, await InEngineAsync(studio, e => e.ExpireHoldsAsync()));
        Assert.Equal(BookingStatuses.Expired, (await InEngineAsync(studio, e => e.GetAsync(held.Id)))!.Status);
        Assert.Equal(0, await CountAsync(studio, "SELECT COUNT(*) FROM bk_allocations WHERE booking_id = @id AND active = @on", new { id = held.Id, on = TestDatabase.IsPostgres ? (object)true : 1 }));
        // Someone else takes it now.
        var other = await InEngineAsync(studio, e => e.HoldAsync(Request(studio, start), AuditActor.Anonymous));
        Assert.Equal(BookingStatuses.Held, other.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Hundred_concurrent_attempts_at_one_slot_make_exactly_one_booking(bool clientsHolding)
    {
        var studio = await StudioAsync();
        var start = Paris(2027, 3, 26, 12);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            await go.Task;
            try
            {
                // Staff book straight away; clients hold what the slot list offered (rules checked first, then the race).
                await InEngineAsync(studio, e => clientsHolding
                    ? e.HoldAsync(Request(studio, start, hours: 1 + i % 3, withRoom: i % 2 == 0), AuditActor.Anonymous)
                    : e.BookAsync(Request(studio, start, hours: 1 + i % 3), new AuditActor("staff-" + i, "Staff " + i)));
                return "booked";
            }
            catch (SlotTakenException e)
            {
                Assert.Equal("This slot was just taken. Please choose another time.", e.Message);
                return "taken";
            }
        })).ToList();
        go.SetResult();
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r == "booked"));
        Assert.Equal(99, results.Count(r => r == "taken"));
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM bk_bookings"));
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM bk_allocations"));
        Assert.Equal(clientsHolding ? 0 : 1, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events"));
    }

    [SkippableFact]
    public async Task PostgreSQL_itself_refuses_overlapping_active_allocations()
    {
        Skip.IfNot(TestDatabase.IsPostgres, "the exclusion constraint exists on PostgreSQL only");
        var studio = await StudioAsync();
        var booking = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 26, 12)), Staff));
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteAsync(
                "INSERT INTO bk_allocations (booking_id, resource_type, resource_id, unit, start_utc, end_utc, active) VALUES (@id, 'room', @room, 0, @start, @end, TRUE)",
                new { id = booking.Id, room = studio.RoomId, start = booking.StartUtc.AddMinutes(30), end = booking.EndUtc.AddHours(1) });
        }));
        Assert.Equal("23P01", error.SqlState);
    }

    [Fact]
    public async Task The_monthly_bookings_limit_of_the_plan_refuses_the_next_booking_and_writes_nothing()
    {
        var plan = await Factory.Get<IPlanCatalog>().SaveAsync(new PlatformActor("op-test", "Operator (test)"), new PlanDefinition
        {
            Id = NewName("p"), Name = "Tiny", MonthlyPrice = 0m, Currency = "EUR", Include = ["Studio.*"],
            Limits = new Dictionary<string, long> { [PlanLimitKeys.BookingsPerMonth] = 2 },
        }, expectedVersion: null);
        var studio = await StudioAsync(plan: plan.Id);
        await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 24, 9)), Staff));
        await InEngineAsync(studio, e => e.HoldAsync(Request(studio, Paris(2027, 3, 24, 12)), AuditActor.Anonymous));
        // Blocked time is not a booking.
        await InEngineAsync(studio, e => e.BlockAsync(new BlockRequest(Paris(2027, 3, 25, 9), Paris(2027, 3, 25, 10), "Maintenance", RoomId: studio.RoomId), Staff));

        var refused = await Assert.ThrowsAsync<PlanLimitExceededException>(() => InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 24, 15)), Staff)));
        Assert.Contains("2 bookings a month", refused.Message);
        Assert.Equal(3, await CountAsync(studio, "SELECT COUNT(*) FROM bk_bookings"));
        Assert.Equal(3, await CountAsync(studio, "SELECT COUNT(*) FROM bk_allocations"));
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events"));

        // A series counts every occurrence: none is written when they do not all fit.
        await Assert.ThrowsAsync<PlanLimitExceededException>(() => InEngineAsync(studio, e => e.BookSeriesAsync(
            new SeriesRequest(Request(studio, Paris(2027, 4, 6, 9)), "FREQ=WEEKLY;COUNT=3"), Staff)));
        Assert.Equal(0, await CountAsync(studio, "SELECT COUNT(*) FROM bk_series"));
    }

    [Fact]
    public async Task Cancellation_fee_follows_the_policy_stored_with_the_booking()
    {
        var studio = await StudioAsync();
        var soon = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Anchor.UtcDateTime.AddHours(24), hours: 4), Staff));
        var later = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 30, 10), hours: 2), Staff));
        Assert.Equal(180m, soon.Total); // half-day rate from 4 h

        // The catalogue changes afterwards: bookings keep the policy they were made under.
        await Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            var service = (await catalog.GetServiceAsync(studio.ServiceId))!;
            return await catalog.SaveServiceAsync(service with { FreeCancelHours = 1, CancelFeePercent = 100 }, Staff);
        });
        Assert.Equal(90m, await InEngineAsync(studio, e => e.CancellationFeeAsync(soon.Id)));
        Assert.Equal(0m, await InEngineAsync(studio, e => e.CancellationFeeAsync(later.Id)));

        var cancelled = await InEngineAsync(studio, e => e.CancelAsync(soon.Id, "Band split up", Staff, byClient: true));
        Assert.Equal(BookingStatuses.Cancelled, cancelled.Status);
        Assert.Equal(90m, cancelled.CancellationFee);
        Assert.Equal("Band split up", cancelled.CancelReason);
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events WHERE name = 'bookings.booking-cancelled.v1'"));
        await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.CancelAsync(soon.Id, null, Staff, byClient: false)));
        // Its time is free again.
        var again = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Anchor.UtcDateTime.AddHours(24), hours: 4), Staff));
        Assert.Equal(BookingStatuses.Confirmed, again.Status);
    }

    [Fact]
    public async Task Reschedule_moves_the_allocation_keeps_the_history_and_is_limited_for_clients()
    {
        var studio = await StudioAsync();
        var booking = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 30, 10)), Staff));
        // Moving by one hour overlaps its own old time: allowed.
        var moved = await InEngineAsync(studio, e => e.RescheduleAsync(booking.Id, Paris(2027, 3, 30, 11), null, Staff, byClient: true));
        Assert.Equal(Paris(2027, 3, 30, 11), moved.StartUtc);
        Assert.Equal(Paris(2027, 3, 30, 13), moved.EndUtc);
        Assert.Equal(booking.Total, moved.Total);
        var history = await InEngineAsync(studio, e => e.HistoryAsync(booking.Id));
        var entry = Assert.Single(history, h => h.Action == "rescheduled");
        Assert.Equal(Paris(2027, 3, 30, 10), entry.OldStartUtc);
        Assert.Equal(Paris(2027, 3, 30, 11), entry.NewStartUtc);
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events WHERE name = 'bookings.booking-rescheduled.v1'"));

        // The old time is free, the new one taken.
        var other = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 30, 9), hours: 1), Staff));
        await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.RescheduleAsync(other.Id, Paris(2027, 3, 30, 12), null, Staff, byClient: false)));

        // Inside the fee window (48 h) a client cannot move it online; staff can.
        var soon = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Anchor.UtcDateTime.AddHours(22)), Staff));
        await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.RescheduleAsync(soon.Id, Anchor.UtcDateTime.AddHours(24), null, AuditActor.Anonymous, byClient: true)));
        var staffMove = await InEngineAsync(studio, e => e.RescheduleAsync(soon.Id, Anchor.UtcDateTime.AddHours(24), null, Staff, byClient: false));
        Assert.Equal(Anchor.UtcDateTime.AddHours(24), staffMove.StartUtc);
    }

    [Fact]
    public async Task Availability_and_series_keep_local_times_across_both_DST_changes()
    {
        // Open all day: the night of the change is inside the window.
        var studio = await StudioAsync(policy: p => p with { SlotStepMinutes = 60, MinNoticeMinutes = 0 }, open: 0, close: 6 * 60);
        var a = studio.ServiceId;

        // Spring forward (2027-03-28, 02:00 → 03:00): 00:00–06:00 local lasts 5 hours; 02:00 does not exist.
        var spring = await InEngineAsync(studio, (_, av, _) => av.FindSlotsAsync(new SlotQuery(a, new DateOnly(2027, 3, 28), new DateOnly(2027, 3, 28), Units: 1)));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        Assert.Equal(["00:00", "01:00", "03:00", "04:00", "05:00"], spring.Select(s => TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, zone).ToString("HH:mm")));
        Assert.Equal(new DateTime(2027, 3, 27, 23, 0, 0, DateTimeKind.Utc), spring[0].StartUtc);
        Assert.All(spring, s => Assert.Equal(TimeSpan.FromHours(1), s.EndUtc - s.StartUtc));

        // Fall back (2027-10-31, 03:00 → 02:00): 00:00–06:00 local lasts 7 hours; 02:00 happens twice.
        var fall = await InEngineAsync(studio, (_, av, _) => av.FindSlotsAsync(new SlotQuery(a, new DateOnly(2027, 10, 31), new DateOnly(2027, 10, 31), Units: 1)));
        Assert.Equal(["00:00", "01:00", "02:00", "02:00", "03:00", "04:00", "05:00"], fall.Select(s => TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, zone).ToString("HH:mm")));
        Assert.Equal(new DateTime(2027, 10, 30, 22, 0, 0, DateTimeKind.Utc), fall[0].StartUtc);

        // A weekly 04:00 session keeps 04:00 local on both sides of each change.
        var firstSpring = await InEngineAsync(studio, e => e.BookSeriesAsync(new SeriesRequest(Request(studio, Paris(2027, 3, 21, 4), hours: 1), "FREQ=WEEKLY;COUNT=3"), Staff));
        Assert.Equal([Paris(2027, 3, 21, 4), Paris(2027, 3, 28, 4), Paris(2027, 4, 4, 4)], firstSpring.Select(b => b.StartUtc));
        Assert.Equal(new DateTime(2027, 3, 21, 3, 0, 0, DateTimeKind.Utc), firstSpring[0].StartUtc);
        Assert.Equal(new DateTime(2027, 3, 28, 2, 0, 0, DateTimeKind.Utc), firstSpring[1].StartUtc);
        var autumn = await InEngineAsync(studio, e => e.BookSeriesAsync(new SeriesRequest(Request(studio, Paris(2027, 10, 24, 4), hours: 1), "RRULE:FREQ=WEEKLY;COUNT=2"), Staff));
        Assert.Equal(new DateTime(2027, 10, 24, 2, 0, 0, DateTimeKind.Utc), autumn[0].StartUtc);
        Assert.Equal(new DateTime(2027, 10, 31, 3, 0, 0, DateTimeKind.Utc), autumn[1].StartUtc);
    }

    [Fact]
    public async Task Series_occurrences_are_bookings_of_their_own_and_a_conflict_books_none()
    {
        var studio = await StudioAsync();
        var first = Paris(2027, 3, 23, 14); // Tuesdays 14:00–16:00
        var series = await InEngineAsync(studio, e => e.BookSeriesAsync(new SeriesRequest(Request(studio, first), "FREQ=WEEKLY;BYDAY=TU;COUNT=4"), Staff));
        Assert.Equal(4, series.Count);
        Assert.All(series, b => Assert.Equal(series[0].SeriesId, b.SeriesId));
        Assert.Equal(4, series.Select(b => b.Reference).Distinct().Count());
        Assert.Equal(4, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events WHERE name = 'bookings.booking-confirmed.v1'"));

        // One occurrence moves, another is cancelled; the rest stay.
        var moved = await InEngineAsync(studio, e => e.RescheduleAsync(series[1].Id, series[1].StartUtc.AddHours(-2), null, Staff, false));
        Assert.Equal(series[1].OccurrenceUtc, moved.OccurrenceUtc);
        await InEngineAsync(studio, e => e.CancelAsync(series[2].Id, null, Staff, false));
        var all = await InEngineAsync(studio, e => e.ListAsync(new BookingQuery(FromUtc: first.AddDays(-1))));
        Assert.Equal([BookingStatuses.Confirmed, BookingStatuses.Confirmed, BookingStatuses.Cancelled, BookingStatuses.Confirmed], all.Select(b => b.Status));

        // A second series over a taken Tuesday books nothing.
        var clash = await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.BookSeriesAsync(
            new SeriesRequest(Request(studio, Paris(2027, 3, 16, 15)) with { StartUtc = Paris(2027, 3, 16, 15) }, "FREQ=WEEKLY;COUNT=3"), Staff)));
        Assert.Contains("nothing was booked", clash.Message);
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM bk_series"));

        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.BookSeriesAsync(new SeriesRequest(Request(studio, first.AddDays(60)), "FREQ=WEEKLY"), Staff)));
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.BookSeriesAsync(new SeriesRequest(Request(studio, first.AddDays(60)), "FREQ=SOMETIMES;COUNT=2"), Staff)));
    }

    [Fact]
    public async Task Blocks_equipment_units_completion_and_no_show()
    {
        var studio = await StudioAsync();
        var mic = await Factory.InTenantAsync(studio.Tenant.Name, sp => sp.GetRequiredService<IBookingCatalog>().SaveResourceAsync(
            new BookableResource { Name = "U87", Category = "microphone", Quantity = 2, BookableAlone = true }, Staff));
        var blocked = await InEngineAsync(studio, e => e.BlockAsync(new BlockRequest(Paris(2027, 3, 24, 9), Paris(2027, 3, 24, 12), "Maintenance", RoomId: studio.RoomId), Staff));
        Assert.Equal(BookingStatuses.Blocked, blocked.Status);
        await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 24, 11)), Staff)));
        var overlap = await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.BlockAsync(new BlockRequest(Paris(2027, 3, 24, 11), Paris(2027, 3, 24, 13), "Again", RoomId: studio.RoomId), Staff)));
        Assert.Contains("overlaps a booking or blocked time", overlap.Message);
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.BlockAsync(new BlockRequest(Paris(2027, 3, 24, 9), Paris(2027, 3, 24, 12), " "), Staff)));

        // Two units: two sessions may use the microphone at once, a third may not.
        var first = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 24, 13)) with { ResourceIds = [mic.Id] }, Staff));
        Assert.Equal([mic.Id], first.ResourceIds);
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 25, 13)) with { ResourceIds = [mic.Id, mic.Id, mic.Id] }, Staff)));
        // Blocking equipment takes every unit: not while one is in use.
        await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.BlockAsync(
            new BlockRequest(Paris(2027, 3, 24, 13), Paris(2027, 3, 24, 14), "Repair", ResourceId: mic.Id), Staff)));
        var booth = await Factory.InTenantAsync(studio.Tenant.Name, sp => sp.GetRequiredService<IBookingCatalog>().SaveRoomAsync(
            new Room { Name = "Booth", Kind = RoomKinds.Booth, Description = "Vocal booth", Capacity = 1, HourlyRate = 20m }, Staff));
        await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 25, 13)) with { ResourceIds = [mic.Id, mic.Id] }, Staff));
        var taken = await Assert.ThrowsAsync<SlotTakenException>(() => InEngineAsync(studio, e => e.BookAsync(
            Request(studio, Paris(2027, 3, 25, 14)) with { RoomId = booth.Id, ResourceIds = [mic.Id] }, Staff)));
        Assert.Contains("U87", taken.Message);

        // Completion and no-show once the session has started.
        await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.CompleteAsync(first.Id, Staff)));
        studio.Clock.SetUtcNow(new DateTimeOffset(Paris(2027, 3, 24, 16), TimeSpan.Zero));
        var done = await InEngineAsync(studio, e => e.CompleteAsync(first.Id, Staff));
        Assert.Equal(BookingStatuses.Completed, done.Status);
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM studio_events WHERE name = 'bookings.booking-completed.v1'"));
        await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.MarkNoShowAsync(first.Id, Staff)));
        var missing = await Assert.ThrowsAsync<BookingStateException>(() => InEngineAsync(studio, e => e.ConfirmAsync(999_999, Staff)));
        Assert.True(missing.NotFound);
    }

    [Fact]
    public async Task Engineers_working_hours_breaks_time_off_and_bookings_shape_the_slots()
    {
        var studio = await StudioAsync(service: s => s with { RequiresEngineer = true });
        var user = await Factory.CreateUserAsync(studio.Tenant.Name, [global::Studio.Identity.StudioRoles.Engineer], displayName: "Sam Sound");
        var engineer = await Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            var e = await catalog.SaveEngineerAsync(new Engineer { UserId = user.Id }, Staff);
            await catalog.SetWorkingHoursAsync(e.Id, [
                new(DayOfWeek.Wednesday, 10 * 60, 16 * 60), new(DayOfWeek.Wednesday, 12 * 60, 13 * 60, "break"),
                new(DayOfWeek.Thursday, 10 * 60, 16 * 60)], Staff);
            await catalog.AddTimeOffAsync(new TimeOff(0, e.Id, Paris(2027, 3, 25, 0), Paris(2027, 3, 26, 0), "Holiday"), Staff);
            return e;
        });
        var wednesday = new DateOnly(2027, 3, 24);
        var slots = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, wednesday, wednesday.AddDays(1), Units: 1)));
        Assert.Equal(new[] { 10, 10.5, 11, 13, 13.5, 14, 14.5, 15 }.Select(h => Paris(2027, 3, 24, 0).AddHours(h)), slots.Select(s => s.StartUtc));
        Assert.All(slots, s => Assert.Equal(engineer.Id, s.EngineerId));

        // A client's hold takes the engineer from the offered slot; the session's people and event name them.
        var held = await InEngineAsync(studio, e => e.HoldAsync(Request(studio, Paris(2027, 3, 24, 13), hours: 1), AuditActor.Anonymous));
        Assert.Equal([engineer.Id], held.EngineerIds);
        Assert.Equal("Sam Sound", Assert.Single(held.People).Name);
        await InEngineAsync(studio, e => e.ConfirmAsync(held.Id, Staff));
        var payload = await Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<string>("SELECT payload FROM studio_events");
        });
        Assert.Contains(user.Id, payload);
        Assert.Contains("Recording hour", payload);

        // Busy until 14:15 (tear-down): the engineer's afternoon now starts at 14:30.
        slots = await InEngineAsync(studio, (_, a, _) => a.FindSlotsAsync(new SlotQuery(studio.ServiceId, wednesday, wednesday, Units: 1)));
        Assert.Equal(new[] { 10, 10.5, 11, 14.5, 15 }.Select(h => Paris(2027, 3, 24, 0).AddHours(h)), slots.Select(s => s.StartUtc));
        await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.HoldAsync(Request(studio, Paris(2027, 3, 24, 12), hours: 1), AuditActor.Anonymous)));
        Assert.Equal(1, await InEngineAsync(studio, async e => (await e.ListAsync(new BookingQuery(EngineerId: engineer.Id))).Count));
        // Staff may book outside working hours, never into time off.
        var evening = await InEngineAsync(studio, e => e.BookAsync(Request(studio, Paris(2027, 3, 24, 16), hours: 1) with { EngineerId = engineer.Id }, Staff));
        Assert.Equal([engineer.Id], evening.EngineerIds);
        var off = await Assert.ThrowsAsync<BookingValidationException>(() => InEngineAsync(studio, e => e.BookAsync(
            Request(studio, Paris(2027, 3, 25, 11), hours: 1) with { EngineerId = engineer.Id }, Staff)));
        Assert.Contains("Sam Sound is off", off.Message);
    }

    [Fact]
    public async Task The_sweep_expires_holds_past_their_time_in_the_background()
    {
        // Held an hour ago (by the test's clock) for 15 minutes: past its time by the real clock the sweep uses.
        var studio = await StudioAsync() with { Clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1)) };
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var tomorrow = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone)).AddDays(2);
        var start = TimeZoneInfo.ConvertTimeToUtc(tomorrow.ToDateTime(new TimeOnly(10, 0)), zone);
        var held = await InEngineAsync(studio, e => e.HoldAsync(Request(studio, start), AuditActor.Anonymous));

        await Factory.InTenantAsync(studio.Tenant.Name, async sp =>
        {
            await using var sweep = ActivatorUtilities.CreateInstance<HoldExpirySweep>(sp, TimeSpan.FromMilliseconds(50), TimeProvider.System);
            sweep.Start();
            await Eventually.ResultAsync(() => InEngineAsync(studio, async e => (await e.GetAsync(held.Id))!.Status),
                status => status == BookingStatuses.Expired, "the sweep expired the hold", TimeSpan.FromSeconds(20));
            return 0;
        });
        var history = await InEngineAsync(studio, e => e.HistoryAsync(held.Id));
        Assert.Equal(["held", "expired"], history.Select(h => h.Action));
        Assert.Equal(1, await CountAsync(studio, "SELECT COUNT(*) FROM audit_entries WHERE action = 'booking.holds.expired'"));
    }
}
