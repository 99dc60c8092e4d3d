using System.Diagnostics;
using System.Globalization;
using Dapper;
using Studio.Audit;
using Studio.Data;
using Studio.Host.Tenancy;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;

namespace Studio.Bench;

/// <summary>
/// Bookings (issue 5), through the real host and the tenant's own container:
/// 1. availability of one room over 90 days with 10,000 existing bookings (target p50 ≤ 10 ms): the bookings are
///    written in bulk (4 a day, 09:00/12:00/15:00/18:00 local, 1–2 h, from about 3.4 years back to 3.4 years ahead,
///    so the 90 days asked for hold ~360 of them and the table all 10,000), then
///    <see cref="IAvailabilityService.FindSlotsAsync"/> is timed (a new scope each time, as a request has);
/// 2. booking throughput under contention: W workers booking distinct slots (all succeed), then W workers racing
///    for the same slots in the same order (exactly one winner per slot, the rest <see cref="SlotTakenException"/>).
/// SQLite always; PostgreSQL too when <c>Studio__Postgres</c> is set.
/// </summary>
internal static class BookingsMode
{
    private static readonly AuditActor Actor = new("bench", "Bench");

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var workers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
        await RunAsync(null, iterations, workers);
        var postgres = Environment.GetEnvironmentVariable("Studio__Postgres");
        if (!string.IsNullOrWhiteSpace(postgres))
            await RunAsync(postgres, iterations, workers);
        else
            Console.WriteLine("(PostgreSQL skipped: set Studio__Postgres to a connection string to measure it too)");
        return 0;
    }

    private static async Task RunAsync(string? postgres, int iterations, int workers)
    {
        await using var host = await BenchHost.StartAsync(postgres);
        await host.Services.GetRequiredService<TenantService>().CreateAsync(new TenantCreateRequest
        {
            Name = "bench-bookings", Hosts = ["bookings.bench.localhost"], Features = ["Studio.Bookings"], TimeZone = "Europe/Paris",
        });
        var shells = host.Services.GetRequiredService<ShellHost>();

        async Task<T> InTenant<T>(Func<IServiceProvider, Task<T>> work)
        {
            var shell = await shells.AcquireAsync(shells.Table.ByName["bench-bookings"], CancellationToken.None);
            try
            {
                await using var scope = shell.Services.CreateAsyncScope();
                return await work(scope.ServiceProvider);
            }
            finally { shell.Leave(); }
        }

        var (roomId, serviceId, secondRoomId) = await InTenant(async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            await catalog.SavePolicyAsync(new BookingPolicy { MinNoticeMinutes = 0, MaxAdvanceDays = 730, SlotStepMinutes = 30 }, Actor);
            var room = await catalog.SaveRoomAsync(new Room { Name = "Studio A", Description = "Bench room", Capacity = 4, HourlyRate = 50m, HalfDayRate = 180m, FullDayRate = 320m, BufferAfterMinutes = 15 }, Actor);
            var second = await catalog.SaveRoomAsync(new Room { Name = "Studio B", Description = "Bench room", Capacity = 4, HourlyRate = 40m }, Actor);
            foreach (var r in new[] { room, second })
                await catalog.SetOpeningHoursAsync(r.Id, Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours(d, 8 * 60, 22 * 60)).ToList(), Actor);
            var service = await catalog.SaveServiceAsync(new StudioService
            {
                Name = "Recording hour", Description = "Bench", DurationKind = DurationKinds.Hourly, DurationMinutes = 60, MinUnits = 1, MaxUnits = 8,
                PriceKind = PriceKinds.RoomRate, RequiresRoom = true, Public = true,
            }, Actor);
            return (room.Id, service.Id, second.Id);
        });

        // 1. Availability over 90 days with 10,000 bookings in the room.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        var seeded = Stopwatch.StartNew();
        var count = await InTenant(sp => SeedAsync(sp.GetRequiredService<ITenantDatabase>(), roomId, serviceId, today, zone));
        Console.WriteLine($"== {host.Engine}: bookings");
        Console.WriteLine($"   seeded {count:N0} bookings in one room in {seeded.Elapsed.TotalSeconds:F1} s");
        var query = new SlotQuery(serviceId, today.AddDays(1), today.AddDays(90), roomId, Units: 1);
        var slots = 0;
        for (var i = 0; i < 5; i++) // warm-up: JIT, pools, Dapper's caches
            slots = await InTenant(async sp => (await sp.GetRequiredService<IAvailabilityService>().FindSlotsAsync(query)).Count);
        var timings = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            timings.Add(await InTenant(async sp =>
            {
                var availability = sp.GetRequiredService<IAvailabilityService>();
                var started = Stopwatch.GetTimestamp();
                var found = await availability.FindSlotsAsync(query);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (found.Count != slots)
                    throw new InvalidOperationException("Availability changed between runs.");
                return ms;
            }));
        }
        Report($"availability of one room over 90 days, 10,000 bookings in the table ({slots} free 1-hour slots found)", timings, "target p50 <= 10 ms");

        // 2. Throughput: distinct slots (no conflicts), then every worker racing for the same slots.
        var distinctDays = 40;
        var jobs = Enumerable.Range(0, distinctDays * 6).Select(i => (Day: today.AddDays(1300 + i / 6), Hour: 8 + 2 * (i % 6), Room: i % 2 == 0 ? roomId : secondRoomId)).ToList();
        var booked = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < jobs.Count; i += workers)
            {
                var job = jobs[i];
                await InTenant(sp => sp.GetRequiredService<IBookingEngine>().BookAsync(new BookingRequest
                {
                    ServiceId = serviceId, RoomId = job.Room, Units = 1,
                    StartUtc = TimeZoneInfo.ConvertTimeToUtc(job.Day.ToDateTime(new TimeOnly(job.Hour, 0)), zone),
                }, Actor));
                Interlocked.Increment(ref booked);
            }
        })));
        Console.WriteLine($"   {booked} bookings of distinct slots by {workers} concurrent workers: {booked / clock.Elapsed.TotalSeconds:F0} bookings/s ({clock.Elapsed.TotalMilliseconds / booked:F1} ms each on average)");

        var contested = Enumerable.Range(0, 25).Select(i => TimeZoneInfo.ConvertTimeToUtc(today.AddDays(1400 + i).ToDateTime(new TimeOnly(10, 0)), zone)).ToList();
        int won = 0, lost = 0;
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            foreach (var start in contested)
            {
                try
                {
                    await InTenant(sp => sp.GetRequiredService<IBookingEngine>().BookAsync(new BookingRequest { ServiceId = serviceId, RoomId = roomId, Units = 2, StartUtc = start }, Actor));
                    Interlocked.Increment(ref won);
                }
                catch (SlotTakenException) { Interlocked.Increment(ref lost); }
            }
        })));
        var attempts = won + lost;
        Console.WriteLine($"   {workers} workers racing for the same {contested.Count} slots: {attempts} attempts in {clock.Elapsed.TotalSeconds:F2} s = {attempts / clock.Elapsed.TotalSeconds:F0} attempts/s; {won} booked, {lost} 'slot just taken'");
        if (won != contested.Count)
            throw new InvalidOperationException($"Expected exactly one booking per contested slot, got {won}.");
    }

    /// <summary>10,000 confirmed bookings with their allocations, written in one transaction.</summary>
    private static async Task<int> SeedAsync(ITenantDatabase database, long roomId, long serviceId, DateOnly today, TimeZoneInfo zone)
    {
        var dialect = database.Dialect;
        object Utc(DateTime utc) => dialect == SqlDialect.Postgres ? utc
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        object Money(decimal value) => dialect == SqlDialect.Postgres ? value : value.ToString(CultureInfo.InvariantCulture);
        var active = dialect == SqlDialect.Postgres ? (object)true : 1;
        await using var connection = await database.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var now = Utc(DateTime.UtcNow);
        var n = 0;
        int[] hours = [9, 12, 15, 18];
        for (var day = -1250; day < 1250; day++)
        {
            foreach (var hour in hours)
            {
                var start = TimeZoneInfo.ConvertTimeToUtc(today.AddDays(day).ToDateTime(new TimeOnly(hour, 0)), zone);
                var end = start.AddHours(1 + n % 2);
                var id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO bk_bookings (reference, client_id, service_id, room_id, session_kind, location, status, start_utc, end_utc, buffer_before_minutes, buffer_after_minutes, " +
                    "currency, total, deposit, deposit_percent, free_cancel_hours, cancel_fee_percent, title, created_by, created_utc, updated_utc, version) " +
                    "VALUES (@reference, NULL, @service, @room, 'hourly', 'studio', 'confirmed', @start, @end, 0, 15, 'EUR', @total, @deposit, 30, 48, 50, 'Seeded', 'bench', @now, @now, 1) RETURNING id",
                    new { reference = $"BK-S{n:D7}", service = serviceId, room = roomId, start = Utc(start), end = Utc(end), total = Money(50m), deposit = Money(15m), now }, tx);
                await connection.ExecuteAsync(
                    "INSERT INTO bk_allocations (booking_id, resource_type, resource_id, unit, start_utc, end_utc, active) VALUES (@id, 'room', @room, 0, @start, @end, @active)",
                    new { id, room = roomId, start = Utc(start), end = Utc(end.AddMinutes(15)), active }, tx);
                n++;
            }
        }
        await tx.CommitAsync();
        return n;
    }

    private static void Report(string what, List<double> timings, string target)
    {
        timings.Sort();
        double At(double q) => timings[Math.Clamp((int)Math.Ceiling(q * timings.Count) - 1, 0, timings.Count - 1)];
        Console.WriteLine($"   {what}:");
        Console.WriteLine($"      p50 {At(0.5),7:F2} ms   p90 {At(0.9),7:F2} ms   max {timings[^1],7:F2} ms   min {timings[0],7:F2} ms   (n={timings.Count}; {target})");
    }
}
