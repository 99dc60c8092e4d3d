using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Data;
using Studio.Identity;
using Studio.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Platform;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>
/// <see cref="IBookingCatalog"/> over the tenant's own database (Dapper). Every write validates first (nothing is
/// written when anything is wrong), runs in one transaction, and is audited once it has committed.
/// </summary>
public sealed partial class BookingCatalog(
    ITenantDatabase database,
    IAuditTrail audit,
    IPlanLimits limits,
    UserManager<StudioUser> users,
    TimeProvider clock,
    IStringLocalizer<BookingCatalog> localizer,
    IEnumerable<Studio.Currencies.IBaseCurrency> baseCurrencies) : IBookingCatalog
{
    /// <summary>Longest name (rooms, resources, engineers, musicians, services).</summary>
    public const int MaxName = 200;
    /// <summary>Longest description.</summary>
    public const int MaxDescription = 4000;
    /// <summary>Largest rate or price accepted.</summary>
    public const decimal MaxAmount = 1_000_000m;
    /// <summary>Longest buffer before/after a session, in minutes.</summary>
    public const int MaxBufferMinutes = 480;

    // ---------------------------------------------------------------- policy

    /// <summary>
    /// The policy; its currency is the tenant's base currency from the Currencies feature when that is on and set
    /// (<see cref="Studio.Currencies.IBaseCurrency"/>), else the policy's own.
    /// </summary>
    public async Task<BookingPolicy> GetPolicyAsync(CancellationToken cancellationToken = default)
    {
        BookingPolicy policy;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            policy = await ReadPolicyAsync(connection, null, cancellationToken);
        return await BaseCurrencyAsync(cancellationToken) is { } code ? policy with { Currency = code } : policy;
    }

    /// <summary>The Currencies feature's base currency, or null when the feature is off or has none yet.</summary>
    public async Task<string?> BaseCurrencyAsync(CancellationToken cancellationToken = default)
    {
        foreach (var source in baseCurrencies)
            if (await source.GetAsync(cancellationToken) is { } code)
                return code;
        return null;
    }

    private static async Task<BookingPolicy> ReadPolicyAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<BookingPolicy>(new CommandDefinition(
            """
            SELECT currency AS Currency, hold_minutes AS HoldMinutes, min_notice_minutes AS MinNoticeMinutes,
                   max_advance_days AS MaxAdvanceDays, slot_step_minutes AS SlotStepMinutes,
                   default_deposit_percent AS DefaultDepositPercent, buffer_before_minutes AS BufferBeforeMinutes,
                   buffer_after_minutes AS BufferAfterMinutes
            FROM bk_policy WHERE id = 1
            """, transaction: transaction, cancellationToken: cancellationToken)) ?? new BookingPolicy();

    public async Task SavePolicyAsync(BookingPolicy policy, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy = policy with { Currency = (policy.Currency ?? "").Trim().ToUpperInvariant() };
        if (!CurrencyRegex().IsMatch(policy.Currency))
            throw Invalid(Localizable.Text("The currency must be a three-letter ISO 4217 code, e.g. EUR."), nameof(BookingPolicy.Currency));
        Range(policy.HoldMinutes, 1, 1440, Localizable.Text("The hold time must be between 1 and 1440 minutes."), nameof(BookingPolicy.HoldMinutes));
        Range(policy.MinNoticeMinutes, 0, 60 * 24 * 90, Localizable.Text("The minimum notice must be between 0 minutes and 90 days."), nameof(BookingPolicy.MinNoticeMinutes));
        Range(policy.MaxAdvanceDays, 1, 730, Localizable.Text("The booking window must be between 1 and 730 days."), nameof(BookingPolicy.MaxAdvanceDays));
        if (policy.SlotStepMinutes is < 5 or > 240 || 1440 % policy.SlotStepMinutes != 0)
            throw Invalid(Localizable.Text("The slot step must be between 5 and 240 minutes and divide a day evenly (e.g. 15, 30, 60)."), nameof(BookingPolicy.SlotStepMinutes));
        Range(policy.DefaultDepositPercent, 0, 100, Localizable.Text("The deposit must be between 0 and 100 %."), nameof(BookingPolicy.DefaultDepositPercent));
        Range(policy.BufferBeforeMinutes, 0, MaxBufferMinutes, Localizable.Text("Buffers must be between 0 and 480 minutes."), nameof(BookingPolicy.BufferBeforeMinutes));
        Range(policy.BufferAfterMinutes, 0, MaxBufferMinutes, Localizable.Text("Buffers must be between 0 and 480 minutes."), nameof(BookingPolicy.BufferAfterMinutes));

        BookingPolicy before;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            before = await ReadPolicyAsync(connection, transaction, cancellationToken);
            var args = new
            {
                policy.Currency, policy.HoldMinutes, policy.MinNoticeMinutes, policy.MaxAdvanceDays, policy.SlotStepMinutes,
                policy.DefaultDepositPercent, policy.BufferBeforeMinutes, policy.BufferAfterMinutes,
                now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE bk_policy SET currency = @Currency, hold_minutes = @HoldMinutes, min_notice_minutes = @MinNoticeMinutes,
                    max_advance_days = @MaxAdvanceDays, slot_step_minutes = @SlotStepMinutes,
                    default_deposit_percent = @DefaultDepositPercent, buffer_before_minutes = @BufferBeforeMinutes,
                    buffer_after_minutes = @BufferAfterMinutes, updated_ms = @now
                WHERE id = 1
                """, args, transaction, cancellationToken: cancellationToken));
            if (updated == 0)
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO bk_policy (id, currency, hold_minutes, min_notice_minutes, max_advance_days, slot_step_minutes,
                        default_deposit_percent, buffer_before_minutes, buffer_after_minutes, updated_ms)
                    VALUES (1, @Currency, @HoldMinutes, @MinNoticeMinutes, @MaxAdvanceDays, @SlotStepMinutes,
                        @DefaultDepositPercent, @BufferBeforeMinutes, @BufferAfterMinutes, @now)
                    """, args, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        await AuditAsync(actor, "bookings.policy.saved", "policy", before, policy, cancellationToken);
    }

    // ---------------------------------------------------------------- rooms

    private const string RoomColumns = """
        id AS Id, name AS Name, kind AS Kind, description AS Description, capacity AS Capacity,
        hourly_rate AS HourlyRate, half_day_rate AS HalfDayRate, full_day_rate AS FullDayRate,
        buffer_before_minutes AS BufferBeforeMinutes, buffer_after_minutes AS BufferAfterMinutes,
        calendar_color AS CalendarColor, bookable AS Bookable, archived AS Archived, sort_order AS SortOrder,
        created_utc AS CreatedUtc, updated_utc AS UpdatedUtc
        """;

    public async Task<IReadOnlyList<Room>> ListRoomsAsync(bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Room>(new CommandDefinition(
            $"SELECT {RoomColumns} FROM bk_rooms {(includeArchived ? "" : "WHERE archived = @no")} ORDER BY sort_order, name, id",
            new { no = false }, cancellationToken: cancellationToken));
        return rows.Select(Fix).ToList();
    }

    public async Task<Room?> GetRoomAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadRoomAsync(connection, null, id, cancellationToken);
    }

    private static async Task<Room?> ReadRoomAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        var room = await connection.QuerySingleOrDefaultAsync<Room>(new CommandDefinition(
            $"SELECT {RoomColumns} FROM bk_rooms WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return room is null ? null : Fix(room);
    }

    private static Room Fix(Room room) => room with { CreatedUtc = CatalogSql.Utc(room.CreatedUtc), UpdatedUtc = CatalogSql.Utc(room.UpdatedUtc) };

    public async Task<Room> SaveRoomAsync(Room room, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        room = room with
        {
            Name = (room.Name ?? "").Trim(),
            Description = (room.Description ?? "").Trim(),
            CalendarColor = (room.CalendarColor ?? "").Trim().ToLowerInvariant(),
        };
        Name(room.Name, nameof(Room.Name));
        if (!RoomKinds.All.Contains(room.Kind))
            throw Invalid(Localizable.Text("Choose a room type from the list."), nameof(Room.Kind));
        if (room.Description.Length > MaxDescription)
            throw Invalid(Localizable.Text("The description must be at most {0} characters."), nameof(Room.Description), MaxDescription);
        Range(room.Capacity, 1, 1000, Localizable.Text("The capacity must be between 1 and 1000 people."), nameof(Room.Capacity));
        Amount(room.HourlyRate, nameof(Room.HourlyRate));
        if (room.HalfDayRate is { } half)
            Amount(half, nameof(Room.HalfDayRate));
        if (room.FullDayRate is { } full)
            Amount(full, nameof(Room.FullDayRate));
        if (room.BufferBeforeMinutes is { } bb)
            Range(bb, 0, MaxBufferMinutes, Localizable.Text("Buffers must be between 0 and 480 minutes."), nameof(Room.BufferBeforeMinutes));
        if (room.BufferAfterMinutes is { } ba)
            Range(ba, 0, MaxBufferMinutes, Localizable.Text("Buffers must be between 0 and 480 minutes."), nameof(Room.BufferAfterMinutes));
        if (!ColorRegex().IsMatch(room.CalendarColor))
            throw Invalid(Localizable.Text("The calendar colour must look like #1a2b3c."), nameof(Room.CalendarColor));
        Range(room.SortOrder, -10000, 10000, Localizable.Text("The sort order must be between -10000 and 10000."), nameof(Room.SortOrder));

        var now = clock.GetUtcNow().UtcDateTime;
        Room? before;
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            // PostgreSQL: one room write at a time per tenant, so two concurrent creations cannot both pass the plan
            // limit. SQLite's BEGIN IMMEDIATE already serialises writers.
            if (database.Dialect == SqlDialect.Postgres)
                await connection.ExecuteAsync(new CommandDefinition("LOCK TABLE bk_rooms IN SHARE ROW EXCLUSIVE MODE", transaction: transaction, cancellationToken: cancellationToken));
            before = room.Id == 0 ? null : await ReadRoomAsync(connection, transaction, room.Id, cancellationToken)
                ?? throw Invalid(Localizable.Text("The room does not exist (any more)."), null);
            var clash = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM bk_rooms WHERE LOWER(name) = LOWER(@Name) AND id <> @Id AND archived = @no",
                new { room.Name, room.Id, no = false }, transaction, cancellationToken: cancellationToken));
            if (clash > 0 && !room.Archived)
                throw Invalid(Localizable.Text("Another room is already called \"{0}\"."), nameof(Room.Name), room.Name);
            var args = new
            {
                room.Id, room.Name, room.Kind, room.Description, room.Capacity,
                HourlyRate = database.Money(room.HourlyRate), HalfDayRate = database.Money(room.HalfDayRate),
                FullDayRate = database.Money(room.FullDayRate), room.BufferBeforeMinutes, room.BufferAfterMinutes,
                room.CalendarColor, room.Bookable, room.Archived, room.SortOrder, now = database.UtcParam(now),
            };
            if (before is null)
            {
                id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO bk_rooms (name, kind, description, capacity, hourly_rate, half_day_rate, full_day_rate,
                        buffer_before_minutes, buffer_after_minutes, calendar_color, bookable, archived, sort_order, created_utc, updated_utc)
                    VALUES (@Name, @Kind, @Description, @Capacity, @HourlyRate, @HalfDayRate, @FullDayRate,
                        @BufferBeforeMinutes, @BufferAfterMinutes, @CalendarColor, @Bookable, @Archived, @SortOrder, @now, @now)
                    RETURNING id
                    """, args, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                id = room.Id;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE bk_rooms SET name = @Name, kind = @Kind, description = @Description, capacity = @Capacity,
                        hourly_rate = @HourlyRate, half_day_rate = @HalfDayRate, full_day_rate = @FullDayRate,
                        buffer_before_minutes = @BufferBeforeMinutes, buffer_after_minutes = @BufferAfterMinutes,
                        calendar_color = @CalendarColor, bookable = @Bookable, archived = @Archived, sort_order = @SortOrder,
                        updated_utc = @now
                    WHERE id = @Id
                    """, args, transaction, cancellationToken: cancellationToken));
            }
            // The plan counts rooms in use (not archived): creating one, or bringing one back from the archive.
            if (!room.Archived && (before is null || before.Archived))
            {
                var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM bk_rooms WHERE archived = @no", new { no = false }, transaction, cancellationToken: cancellationToken));
                await limits.EnsureWithinAsync(PlanLimitKeys.Rooms, count, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = (await GetRoomAsync(id, cancellationToken))!;
        await AuditAsync(actor, before is null ? "bookings.room.created" : "bookings.room.updated", $"room:{id}", before, saved, cancellationToken);
        return saved;
    }

    public async Task<IReadOnlyList<OpeningHours>> GetOpeningHoursAsync(long roomId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadHoursAsync(connection, null, roomId, cancellationToken);
    }

    private static async Task<IReadOnlyList<OpeningHours>> ReadHoursAsync(DbConnection connection, DbTransaction? transaction, long roomId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(int Day, int Open, int Close)>(new CommandDefinition(
            "SELECT day_of_week, open_minute, close_minute FROM bk_room_hours WHERE room_id = @roomId ORDER BY day_of_week, open_minute",
            new { roomId }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new OpeningHours((DayOfWeek)r.Day, r.Open, r.Close)).ToList();
    }

    public async Task SetOpeningHoursAsync(long roomId, IReadOnlyList<OpeningHours> hours, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hours);
        Intervals(hours.Select(h => (h.Day, h.OpenMinute, h.CloseMinute)),
            Localizable.Text("Opening hours on {0} must start before they end, within the day."), Localizable.Text("Opening hours on {0} overlap."));
        IReadOnlyList<OpeningHours> before;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            _ = await ReadRoomAsync(connection, transaction, roomId, cancellationToken) ?? throw Invalid(Localizable.Text("The room does not exist (any more)."), null);
            before = await ReadHoursAsync(connection, transaction, roomId, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_room_hours WHERE room_id = @roomId", new { roomId }, transaction, cancellationToken: cancellationToken));
            foreach (var h in hours.OrderBy(h => h.Day).ThenBy(h => h.OpenMinute))
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO bk_room_hours (room_id, day_of_week, open_minute, close_minute) VALUES (@roomId, @day, @open, @close)",
                    new { roomId, day = (int)h.Day, open = h.OpenMinute, close = h.CloseMinute }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        await AuditAsync(actor, "bookings.room.hours.saved", $"room:{roomId}", before, hours, cancellationToken);
    }

    public async Task<IReadOnlyList<Closure>> ListClosuresAsync(long? roomId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClosureRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, room_id AS RoomId, from_date AS FromDate, to_date AS ToDate, open_minute AS OpenMinute,
                   close_minute AS CloseMinute, label AS Label
            FROM bk_closures
            WHERE from_date <= @to AND to_date >= @from {(roomId is null ? "" : "AND (room_id = @roomId OR room_id IS NULL)")}
            ORDER BY from_date, id
            """, new { roomId, from = CatalogSql.Date(from), to = CatalogSql.Date(to) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToClosure()).ToList();
    }

    // Dapper fills settable properties with conversion (SQLite returns 64-bit integers and text); positional records
    // would need the engine's exact column types.
    private sealed class ClosureRow
    {
        public long Id { get; set; }
        public long? RoomId { get; set; }
        public string FromDate { get; set; } = "";
        public string ToDate { get; set; } = "";
        public int? OpenMinute { get; set; }
        public int? CloseMinute { get; set; }
        public string Label { get; set; } = "";
        public Closure ToClosure() => new(Id, RoomId, CatalogSql.ParseDate(FromDate), CatalogSql.ParseDate(ToDate), OpenMinute, CloseMinute, Label);
    }

    public async Task<Closure> SaveClosureAsync(Closure closure, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(closure);
        closure = closure with { Label = (closure.Label ?? "").Trim() };
        if (closure.To < closure.From)
            throw Invalid(Localizable.Text("The last day must not be before the first day."), nameof(Closure.To));
        if (closure.To.DayNumber - closure.From.DayNumber > 366)
            throw Invalid(Localizable.Text("A closure can last at most a year."), nameof(Closure.To));
        if (closure.Label.Length > MaxName)
            throw Invalid(Localizable.Text("The label must be at most {0} characters."), nameof(Closure.Label), MaxName);
        if ((closure.OpenMinute is null) != (closure.CloseMinute is null))
            throw Invalid(Localizable.Text("Give both special opening and closing times, or neither (closed all day)."), nameof(Closure.OpenMinute));
        if (closure.OpenMinute is { } open && closure.CloseMinute is { } close && (open < 0 || close > 1440 || open >= close))
            throw Invalid(Localizable.Text("The special hours must open before they close, within the day."), nameof(Closure.OpenMinute));

        Closure? before = null;
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            if (closure.RoomId is { } roomId && await ReadRoomAsync(connection, transaction, roomId, cancellationToken) is null)
                throw Invalid(Localizable.Text("The room does not exist (any more)."), nameof(Closure.RoomId));
            var args = new
            {
                closure.Id, closure.RoomId, from = CatalogSql.Date(closure.From), to = CatalogSql.Date(closure.To),
                closure.OpenMinute, closure.CloseMinute, closure.Label,
            };
            if (closure.Id == 0)
            {
                id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO bk_closures (room_id, from_date, to_date, open_minute, close_minute, label) VALUES (@RoomId, @from, @to, @OpenMinute, @CloseMinute, @Label) RETURNING id",
                    args, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                before = (await connection.QuerySingleOrDefaultAsync<ClosureRow>(new CommandDefinition(
                    "SELECT id AS Id, room_id AS RoomId, from_date AS FromDate, to_date AS ToDate, open_minute AS OpenMinute, close_minute AS CloseMinute, label AS Label FROM bk_closures WHERE id = @Id",
                    args, transaction, cancellationToken: cancellationToken)))?.ToClosure() ?? throw Invalid(Localizable.Text("The closure does not exist (any more)."), null);
                id = closure.Id;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE bk_closures SET room_id = @RoomId, from_date = @from, to_date = @to, open_minute = @OpenMinute, close_minute = @CloseMinute, label = @Label WHERE id = @Id",
                    args, transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = closure with { Id = id };
        await AuditAsync(actor, before is null ? "bookings.closure.created" : "bookings.closure.updated", $"closure:{id}", before, saved, cancellationToken);
        return saved;
    }

    public async Task DeleteClosureAsync(long id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        int deleted;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_closures WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (deleted > 0)
            await AuditAsync(actor, "bookings.closure.deleted", $"closure:{id}", null, null, cancellationToken);
    }

    // ---------------------------------------------------------------- resources

    private const string ResourceColumns = """
        id AS Id, name AS Name, category AS Category, quantity AS Quantity, room_id AS RoomId, hourly_rate AS HourlyRate,
        daily_rate AS DailyRate, bookable_alone AS BookableAlone, status AS Status, archived AS Archived
        """;

    /// <summary>Equipment statuses.</summary>
    public static IReadOnlyList<string> ResourceStatuses { get; } = ["operational", "maintenance", "out_of_service"];

    public async Task<IReadOnlyList<BookableResource>> ListResourcesAsync(bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<BookableResource>(new CommandDefinition(
            $"SELECT {ResourceColumns} FROM bk_resources {(includeArchived ? "" : "WHERE archived = @no")} ORDER BY category, name, id",
            new { no = false }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<BookableResource?> GetResourceAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BookableResource>(new CommandDefinition(
            $"SELECT {ResourceColumns} FROM bk_resources WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<BookableResource> SaveResourceAsync(BookableResource resource, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource = resource with { Name = (resource.Name ?? "").Trim() };
        Name(resource.Name, nameof(BookableResource.Name));
        if (!ResourceCategories.All.Contains(resource.Category))
            throw Invalid(Localizable.Text("Choose a category from the list."), nameof(BookableResource.Category));
        Range(resource.Quantity, 1, 1000, Localizable.Text("The quantity must be between 1 and 1000."), nameof(BookableResource.Quantity));
        if (resource.HourlyRate is { } hr)
            Amount(hr, nameof(BookableResource.HourlyRate));
        if (resource.DailyRate is { } dr)
            Amount(dr, nameof(BookableResource.DailyRate));
        if (!ResourceStatuses.Contains(resource.Status))
            throw Invalid(Localizable.Text("Choose a status from the list."), nameof(BookableResource.Status));

        BookableResource? before = null;
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            if (resource.RoomId is { } roomId && await ReadRoomAsync(connection, transaction, roomId, cancellationToken) is null)
                throw Invalid(Localizable.Text("The room does not exist (any more)."), nameof(BookableResource.RoomId));
            var args = new
            {
                resource.Id, resource.Name, resource.Category, resource.Quantity, resource.RoomId,
                HourlyRate = database.Money(resource.HourlyRate), DailyRate = database.Money(resource.DailyRate),
                resource.BookableAlone, resource.Status, resource.Archived, now = database.UtcParam(clock.GetUtcNow().UtcDateTime),
            };
            if (resource.Id == 0)
            {
                id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO bk_resources (name, category, quantity, room_id, hourly_rate, daily_rate, bookable_alone, status, archived, created_utc)
                    VALUES (@Name, @Category, @Quantity, @RoomId, @HourlyRate, @DailyRate, @BookableAlone, @Status, @Archived, @now) RETURNING id
                    """, args, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                before = await connection.QuerySingleOrDefaultAsync<BookableResource>(new CommandDefinition(
                    $"SELECT {ResourceColumns} FROM bk_resources WHERE id = @Id", args, transaction, cancellationToken: cancellationToken))
                    ?? throw Invalid(Localizable.Text("The equipment does not exist (any more)."), null);
                id = resource.Id;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE bk_resources SET name = @Name, category = @Category, quantity = @Quantity, room_id = @RoomId,
                        hourly_rate = @HourlyRate, daily_rate = @DailyRate, bookable_alone = @BookableAlone, status = @Status,
                        archived = @Archived
                    WHERE id = @Id
                    """, args, transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = resource with { Id = id };
        await AuditAsync(actor, before is null ? "bookings.resource.created" : "bookings.resource.updated", $"resource:{id}", before, saved, cancellationToken);
        return saved;
    }

    // ---------------------------------------------------------------- engineers

    private const string EngineerColumns = "id AS Id, user_id AS UserId, display_name AS DisplayName, hourly_rate AS HourlyRate, active AS Active";

    public async Task<IReadOnlyList<Engineer>> ListEngineersAsync(bool includeInactive = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Engineer>(new CommandDefinition(
            $"SELECT {EngineerColumns} FROM bk_engineers {(includeInactive ? "" : "WHERE active = @yes")} ORDER BY display_name, id",
            new { yes = true }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<Engineer?> GetEngineerAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadEngineerAsync(connection, null, id, cancellationToken);
    }

    private static Task<Engineer?> ReadEngineerAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<Engineer>(new CommandDefinition(
            $"SELECT {EngineerColumns} FROM bk_engineers WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));

    public async Task<Engineer?> FindEngineerByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Engineer>(new CommandDefinition(
            $"SELECT {EngineerColumns} FROM bk_engineers WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken));
    }

    public async Task<Engineer> SaveEngineerAsync(Engineer engineer, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engineer);
        engineer = engineer with { DisplayName = (engineer.DisplayName ?? "").Trim(), UserId = (engineer.UserId ?? "").Trim() };
        if (engineer.HourlyRate is { } rate)
            Amount(rate, nameof(Engineer.HourlyRate));
        if (engineer.DisplayName.Length > MaxName)
            throw Invalid(Localizable.Text("The name must be at most {0} characters."), nameof(Engineer.DisplayName), MaxName);
        // Only a staff account of this tenant with the engineer role can be made bookable.
        var user = engineer.UserId.Length == 0 ? null : await users.FindByIdAsync(engineer.UserId);
        if (user is null || !await users.IsInRoleAsync(user, StudioRoles.Engineer))
            throw Invalid(Localizable.Text("Choose a staff account with the engineer role."), nameof(Engineer.UserId));
        if (engineer.DisplayName.Length == 0)
            engineer = engineer with { DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? user.Id : user.DisplayName };

        Engineer? before = null;
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            var existing = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM bk_engineers WHERE user_id = @UserId", engineer, transaction, cancellationToken: cancellationToken));
            if (existing is { } other && other != engineer.Id)
                throw Invalid(Localizable.Text("This account is already a bookable engineer."), nameof(Engineer.UserId));
            var args = new { engineer.Id, engineer.UserId, engineer.DisplayName, HourlyRate = database.Money(engineer.HourlyRate), engineer.Active, now = database.UtcParam(clock.GetUtcNow().UtcDateTime) };
            if (engineer.Id == 0)
            {
                id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO bk_engineers (user_id, display_name, hourly_rate, active, created_utc) VALUES (@UserId, @DisplayName, @HourlyRate, @Active, @now) RETURNING id",
                    args, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                before = await ReadEngineerAsync(connection, transaction, engineer.Id, cancellationToken) ?? throw Invalid(Localizable.Text("The engineer does not exist (any more)."), null);
                id = engineer.Id;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE bk_engineers SET user_id = @UserId, display_name = @DisplayName, hourly_rate = @HourlyRate, active = @Active WHERE id = @Id",
                    args, transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = engineer with { Id = id };
        await AuditAsync(actor, before is null ? "bookings.engineer.created" : "bookings.engineer.updated", $"engineer:{id}", before, saved, cancellationToken);
        return saved;
    }

    public async Task<IReadOnlyList<WorkingHours>> GetWorkingHoursAsync(long engineerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadWorkingHoursAsync(connection, null, engineerId, cancellationToken);
    }

    private static async Task<IReadOnlyList<WorkingHours>> ReadWorkingHoursAsync(DbConnection connection, DbTransaction? transaction, long engineerId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(int Day, int Start, int End, string Kind)>(new CommandDefinition(
            "SELECT day_of_week, start_minute, end_minute, kind FROM bk_engineer_hours WHERE engineer_id = @engineerId ORDER BY day_of_week, start_minute",
            new { engineerId }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new WorkingHours((DayOfWeek)r.Day, r.Start, r.End, r.Kind)).ToList();
    }

    public async Task SetWorkingHoursAsync(long engineerId, IReadOnlyList<WorkingHours> hours, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hours);
        if (hours.Any(h => h.Kind is not ("work" or "break")))
            throw Invalid(Localizable.Text("Each period is either work or a break."), null);
        var work = hours.Where(h => h.Kind == "work").ToList();
        var breaks = hours.Where(h => h.Kind == "break").ToList();
        Intervals(work.Select(h => (h.Day, h.StartMinute, h.EndMinute)),
            Localizable.Text("Working hours on {0} must start before they end, within the day."), Localizable.Text("Working hours on {0} overlap."));
        Intervals(breaks.Select(h => (h.Day, h.StartMinute, h.EndMinute)),
            Localizable.Text("Breaks on {0} must start before they end, within the day."), Localizable.Text("Breaks on {0} overlap."));
        foreach (var b in breaks)
            if (!work.Any(w => w.Day == b.Day && w.StartMinute <= b.StartMinute && b.EndMinute <= w.EndMinute))
                throw Invalid(Localizable.Text("A break on {0} must lie within that day's working hours."), null, DayName(b.Day));

        IReadOnlyList<WorkingHours> before;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            _ = await ReadEngineerAsync(connection, transaction, engineerId, cancellationToken) ?? throw Invalid(Localizable.Text("The engineer does not exist (any more)."), null);
            before = await ReadWorkingHoursAsync(connection, transaction, engineerId, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_engineer_hours WHERE engineer_id = @engineerId", new { engineerId }, transaction, cancellationToken: cancellationToken));
            foreach (var h in hours.OrderBy(h => h.Day).ThenBy(h => h.StartMinute))
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO bk_engineer_hours (engineer_id, day_of_week, start_minute, end_minute, kind) VALUES (@engineerId, @day, @start, @end, @kind)",
                    new { engineerId, day = (int)h.Day, start = h.StartMinute, end = h.EndMinute, kind = h.Kind }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        await AuditAsync(actor, "bookings.engineer.hours.saved", $"engineer:{engineerId}", before, hours, cancellationToken);
    }

    public async Task<IReadOnlyList<TimeOff>> ListTimeOffAsync(long engineerId, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimeOffRow>(new CommandDefinition(
            """
            SELECT id AS Id, engineer_id AS EngineerId, start_utc AS StartUtc, end_utc AS EndUtc, reason AS Reason
            FROM bk_time_off WHERE engineer_id = @engineerId AND start_utc < @to AND end_utc > @from ORDER BY start_utc, id
            """, new { engineerId, from = database.UtcParam(fromUtc), to = database.UtcParam(toUtc) }, cancellationToken: cancellationToken));
        return rows.Select(r => new TimeOff(r.Id, r.EngineerId, CatalogSql.Utc(r.StartUtc), CatalogSql.Utc(r.EndUtc), r.Reason)).ToList();
    }

    private sealed class TimeOffRow
    {
        public long Id { get; set; }
        public long EngineerId { get; set; }
        public DateTime StartUtc { get; set; }
        public DateTime EndUtc { get; set; }
        public string Reason { get; set; } = "";
    }

    private sealed class MusicianRow
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Instruments { get; set; } = "";
        public string? Email { get; set; }
        public decimal? HourlyRate { get; set; }
        public bool Archived { get; set; }
        public Musician ToMusician() => new(Id, Name, Instruments, Email, HourlyRate, Archived);
    }

    public async Task<TimeOff> AddTimeOffAsync(TimeOff timeOff, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeOff);
        timeOff = timeOff with { Reason = (timeOff.Reason ?? "").Trim(), StartUtc = CatalogSql.Utc(timeOff.StartUtc), EndUtc = CatalogSql.Utc(timeOff.EndUtc) };
        if (timeOff.EndUtc <= timeOff.StartUtc)
            throw Invalid(Localizable.Text("The time off must end after it starts."), nameof(TimeOff.EndUtc));
        if (timeOff.EndUtc - timeOff.StartUtc > TimeSpan.FromDays(366))
            throw Invalid(Localizable.Text("Time off can last at most a year."), nameof(TimeOff.EndUtc));
        if (timeOff.Reason.Length > MaxName)
            throw Invalid(Localizable.Text("The reason must be at most {0} characters."), nameof(TimeOff.Reason), MaxName);
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            _ = await ReadEngineerAsync(connection, transaction, timeOff.EngineerId, cancellationToken) ?? throw Invalid(Localizable.Text("The engineer does not exist (any more)."), nameof(TimeOff.EngineerId));
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO bk_time_off (engineer_id, start_utc, end_utc, reason) VALUES (@EngineerId, @start, @end, @Reason) RETURNING id",
                new { timeOff.EngineerId, start = database.UtcParam(timeOff.StartUtc), end = database.UtcParam(timeOff.EndUtc), timeOff.Reason },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = timeOff with { Id = id };
        await AuditAsync(actor, "bookings.engineer.timeoff.added", $"engineer:{timeOff.EngineerId}", null, saved, cancellationToken);
        return saved;
    }

    public async Task DeleteTimeOffAsync(long id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        int deleted;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_time_off WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (deleted > 0)
            await AuditAsync(actor, "bookings.engineer.timeoff.deleted", $"timeoff:{id}", null, null, cancellationToken);
    }

    // ---------------------------------------------------------------- musicians

    private const string MusicianColumns = "id AS Id, name AS Name, instruments AS Instruments, email AS Email, hourly_rate AS HourlyRate, archived AS Archived";

    public async Task<IReadOnlyList<Musician>> ListMusiciansAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MusicianRow>(new CommandDefinition(
            $"SELECT {MusicianColumns} FROM bk_musicians ORDER BY archived, name, id", cancellationToken: cancellationToken))).Select(r => r.ToMusician()).ToList();
    }

    public async Task<Musician> SaveMusicianAsync(Musician musician, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(musician);
        var email = string.IsNullOrWhiteSpace(musician.Email) ? null : musician.Email.Trim();
        musician = musician with { Name = (musician.Name ?? "").Trim(), Instruments = (musician.Instruments ?? "").Trim(), Email = email };
        Name(musician.Name, nameof(Musician.Name));
        if (musician.Instruments.Length > 500)
            throw Invalid(Localizable.Text("The instruments must be at most {0} characters."), nameof(Musician.Instruments), 500);
        if (email is not null && (email.Length > 256 || !EmailRegex().IsMatch(email)))
            throw Invalid(Localizable.Text("The e-mail address is not valid."), nameof(Musician.Email));
        if (musician.HourlyRate is { } rate)
            Amount(rate, nameof(Musician.HourlyRate));
        Musician? before = null;
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            var args = new { musician.Id, musician.Name, musician.Instruments, musician.Email, HourlyRate = database.Money(musician.HourlyRate), musician.Archived };
            if (musician.Id == 0)
            {
                id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "INSERT INTO bk_musicians (name, instruments, email, hourly_rate, archived) VALUES (@Name, @Instruments, @Email, @HourlyRate, @Archived) RETURNING id",
                    args, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                before = (await connection.QuerySingleOrDefaultAsync<MusicianRow>(new CommandDefinition(
                    $"SELECT {MusicianColumns} FROM bk_musicians WHERE id = @Id", args, transaction, cancellationToken: cancellationToken)))?.ToMusician()
                    ?? throw Invalid(Localizable.Text("The musician does not exist (any more)."), null);
                id = musician.Id;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE bk_musicians SET name = @Name, instruments = @Instruments, email = @Email, hourly_rate = @HourlyRate, archived = @Archived WHERE id = @Id",
                    args, transaction, cancellationToken: cancellationToken));
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = musician with { Id = id };
        await AuditAsync(actor, before is null ? "bookings.musician.created" : "bookings.musician.updated", $"musician:{id}", before, saved, cancellationToken);
        return saved;
    }

    // ---------------------------------------------------------------- services

    private const string ServiceColumns = """
        id AS Id, name AS Name, description AS Description, duration_kind AS DurationKind, duration_minutes AS DurationMinutes,
        min_units AS MinUnits, max_units AS MaxUnits, price_kind AS PriceKind, price AS Price, deposit_percent AS DepositPercent,
        free_cancel_hours AS FreeCancelHours, cancel_fee_percent AS CancelFeePercent, session_kind AS SessionKind,
        location AS Location, requires_room AS RequiresRoom, requires_engineer AS RequiresEngineer, public AS Public,
        archived AS Archived, sort_order AS SortOrder
        """;

    public async Task<IReadOnlyList<StudioService>> ListServicesAsync(bool publicOnly = false, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var services = (await connection.QueryAsync<StudioService>(new CommandDefinition(
            $"SELECT {ServiceColumns} FROM bk_services {(publicOnly ? "WHERE public = @yes AND archived = @no" : "")} ORDER BY sort_order, name, id",
            new { yes = true, no = false }, cancellationToken: cancellationToken))).ToList();
        var rooms = (await connection.QueryAsync<(long ServiceId, long RoomId)>(new CommandDefinition(
            "SELECT service_id, room_id FROM bk_service_rooms ORDER BY room_id", cancellationToken: cancellationToken))).ToLookup(r => r.ServiceId, r => r.RoomId);
        var engineers = (await connection.QueryAsync<(long ServiceId, long EngineerId)>(new CommandDefinition(
            "SELECT service_id, engineer_id FROM bk_service_engineers ORDER BY engineer_id", cancellationToken: cancellationToken))).ToLookup(r => r.ServiceId, r => r.EngineerId);
        return services.Select(s => s with { RoomIds = rooms[s.Id].ToList(), EngineerIds = engineers[s.Id].ToList() }).ToList();
    }

    public async Task<StudioService?> GetServiceAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadServiceAsync(connection, null, id, cancellationToken);
    }

    private static async Task<StudioService?> ReadServiceAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        var service = await connection.QuerySingleOrDefaultAsync<StudioService>(new CommandDefinition(
            $"SELECT {ServiceColumns} FROM bk_services WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (service is null)
            return null;
        var rooms = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT room_id FROM bk_service_rooms WHERE service_id = @id ORDER BY room_id", new { id }, transaction, cancellationToken: cancellationToken));
        var engineers = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT engineer_id FROM bk_service_engineers WHERE service_id = @id ORDER BY engineer_id", new { id }, transaction, cancellationToken: cancellationToken));
        return service with { RoomIds = rooms.ToList(), EngineerIds = engineers.ToList() };
    }

    public async Task<StudioService> SaveServiceAsync(StudioService service, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        service = service with
        {
            Name = (service.Name ?? "").Trim(),
            Description = (service.Description ?? "").Trim(),
            RoomIds = (service.RoomIds ?? []).Distinct().Order().ToList(),
            EngineerIds = (service.EngineerIds ?? []).Distinct().Order().ToList(),
        };
        Name(service.Name, nameof(StudioService.Name));
        if (service.Description.Length > MaxDescription)
            throw Invalid(Localizable.Text("The description must be at most {0} characters."), nameof(StudioService.Description), MaxDescription);
        switch (service.DurationKind)
        {
            case DurationKinds.Fixed:
                Range(service.DurationMinutes, 5, 7 * 1440, Localizable.Text("A fixed duration must be between 5 minutes and 7 days."), nameof(StudioService.DurationMinutes));
                service = service with { MinUnits = 1, MaxUnits = 1 };
                break;
            case DurationKinds.Hourly:
                service = service with { DurationMinutes = 60 };
                break;
            case DurationKinds.Blocks:
                Range(service.DurationMinutes, 5, 1440, Localizable.Text("A block must be between 5 minutes and 24 hours."), nameof(StudioService.DurationMinutes));
                break;
            default:
                throw Invalid(Localizable.Text("Choose a duration rule from the list."), nameof(StudioService.DurationKind));
        }
        Range(service.MinUnits, 1, 1000, Localizable.Text("The minimum must be at least 1."), nameof(StudioService.MinUnits));
        if (service.MaxUnits < service.MinUnits)
            throw Invalid(Localizable.Text("The maximum must not be below the minimum."), nameof(StudioService.MaxUnits));
        if ((long)service.MaxUnits * service.DurationMinutes > 14 * 1440)
            throw Invalid(Localizable.Text("A session can last at most 14 days."), nameof(StudioService.MaxUnits));
        if (service.PriceKind is not (PriceKinds.Fixed or PriceKinds.PerHour or PriceKinds.RoomRate))
            throw Invalid(Localizable.Text("Choose how the service is priced from the list."), nameof(StudioService.PriceKind));
        if (service.PriceKind == PriceKinds.RoomRate && !service.RequiresRoom)
            throw Invalid(Localizable.Text("A service priced at the room's rates must take place in a room."), nameof(StudioService.RequiresRoom));
        Amount(service.Price, nameof(StudioService.Price));
        Range(service.DepositPercent, 0, 100, Localizable.Text("The deposit must be between 0 and 100 %."), nameof(StudioService.DepositPercent));
        Range(service.FreeCancelHours, 0, 8760, Localizable.Text("Free cancellation must end between 0 hours and a year before the session."), nameof(StudioService.FreeCancelHours));
        Range(service.CancelFeePercent, 0, 100, Localizable.Text("The cancellation fee must be between 0 and 100 %."), nameof(StudioService.CancelFeePercent));
        if (!SessionKinds.All.Contains(service.SessionKind))
            throw Invalid(Localizable.Text("Choose a session kind from the list."), nameof(StudioService.SessionKind));
        if (!SessionKinds.Locations.Contains(service.Location))
            throw Invalid(Localizable.Text("Choose a location from the list."), nameof(StudioService.Location));
        Range(service.SortOrder, -10000, 10000, Localizable.Text("The sort order must be between -10000 and 10000."), nameof(StudioService.SortOrder));
        if (service.RoomIds.Count > 0 && !service.RequiresRoom)
            throw Invalid(Localizable.Text("Rooms can only be chosen for a service that takes place in a room."), nameof(StudioService.RoomIds));
        if (service.EngineerIds.Count > 0 && !service.RequiresEngineer)
            throw Invalid(Localizable.Text("Engineers can only be chosen for a service that needs one."), nameof(StudioService.EngineerIds));

        var now = clock.GetUtcNow().UtcDateTime;
        StudioService? before = null;
        long id;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await CatalogSql.BeginAsync(connection, cancellationToken))
        {
            foreach (var roomId in service.RoomIds)
                if (await ReadRoomAsync(connection, transaction, roomId, cancellationToken) is null or { Archived: true })
                    throw Invalid(Localizable.Text("A chosen room does not exist (any more)."), nameof(StudioService.RoomIds));
            foreach (var engineerId in service.EngineerIds)
                if (await ReadEngineerAsync(connection, transaction, engineerId, cancellationToken) is null)
                    throw Invalid(Localizable.Text("A chosen engineer does not exist (any more)."), nameof(StudioService.EngineerIds));
            var args = new
            {
                service.Id, service.Name, service.Description, service.DurationKind, service.DurationMinutes, service.MinUnits,
                service.MaxUnits, service.PriceKind, Price = database.Money(service.Price), service.DepositPercent,
                service.FreeCancelHours, service.CancelFeePercent, service.SessionKind, service.Location, service.RequiresRoom,
                service.RequiresEngineer, service.Public, service.Archived, service.SortOrder, now = database.UtcParam(now),
            };
            if (service.Id == 0)
            {
                id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO bk_services (name, description, duration_kind, duration_minutes, min_units, max_units, price_kind,
                        price, deposit_percent, free_cancel_hours, cancel_fee_percent, session_kind, location, requires_room,
                        requires_engineer, public, archived, sort_order, created_utc, updated_utc)
                    VALUES (@Name, @Description, @DurationKind, @DurationMinutes, @MinUnits, @MaxUnits, @PriceKind,
                        @Price, @DepositPercent, @FreeCancelHours, @CancelFeePercent, @SessionKind, @Location, @RequiresRoom,
                        @RequiresEngineer, @Public, @Archived, @SortOrder, @now, @now)
                    RETURNING id
                    """, args, transaction, cancellationToken: cancellationToken));
            }
            else
            {
                before = await ReadServiceAsync(connection, transaction, service.Id, cancellationToken) ?? throw Invalid(Localizable.Text("The service does not exist (any more)."), null);
                id = service.Id;
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE bk_services SET name = @Name, description = @Description, duration_kind = @DurationKind,
                        duration_minutes = @DurationMinutes, min_units = @MinUnits, max_units = @MaxUnits, price_kind = @PriceKind,
                        price = @Price, deposit_percent = @DepositPercent, free_cancel_hours = @FreeCancelHours,
                        cancel_fee_percent = @CancelFeePercent, session_kind = @SessionKind, location = @Location,
                        requires_room = @RequiresRoom, requires_engineer = @RequiresEngineer, public = @Public,
                        archived = @Archived, sort_order = @SortOrder, updated_utc = @now
                    WHERE id = @Id
                    """, args, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_service_rooms WHERE service_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM bk_service_engineers WHERE service_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
            }
            foreach (var roomId in service.RoomIds)
                await connection.ExecuteAsync(new CommandDefinition("INSERT INTO bk_service_rooms (service_id, room_id) VALUES (@id, @roomId)", new { id, roomId }, transaction, cancellationToken: cancellationToken));
            foreach (var engineerId in service.EngineerIds)
                await connection.ExecuteAsync(new CommandDefinition("INSERT INTO bk_service_engineers (service_id, engineer_id) VALUES (@id, @engineerId)", new { id, engineerId }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        var saved = service with { Id = id };
        await AuditAsync(actor, before is null ? "bookings.service.created" : "bookings.service.updated", $"service:{id}", before, saved, cancellationToken);
        return saved;
    }

    // ---------------------------------------------------------------- helpers

    private Task AuditAsync(AuditActor actor, string action, string target, object? before, object? after, CancellationToken cancellationToken) =>
        audit.RecordAsync(new AuditRecord(actor, action, target, before, after), cancellationToken);

    private BookingValidationException Invalid(string message, string? field, params object[] arguments) =>
        new(localizer[message, arguments], field);

    private void Name(string name, string field)
    {
        if (name.Length == 0)
            throw Invalid(Localizable.Text("Enter a name."), field);
        if (name.Length > MaxName)
            throw Invalid(Localizable.Text("The name must be at most {0} characters."), field, MaxName);
    }

    private void Range(int value, int min, int max, string message, string field)
    {
        if (value < min || value > max)
            throw Invalid(message, field);
    }

    private void Amount(decimal value, string field)
    {
        if (value < 0 || value > MaxAmount)
            throw Invalid(Localizable.Text("Amounts must be between 0 and 1,000,000."), field);
        if (decimal.Round(value, 2) != value)
            throw Invalid(Localizable.Text("Amounts can have at most two decimals."), field);
    }

    /// <summary>Checks weekly intervals: within the day, start before end, no overlap on a day.</summary>
    private void Intervals(IEnumerable<(DayOfWeek Day, int Start, int End)> intervals, string outsideTheDay, string overlap)
    {
        foreach (var day in intervals.GroupBy(i => i.Day))
        {
            if (!Enum.IsDefined(day.Key))
                throw Invalid(Localizable.Text("Unknown weekday."), null);
            var ordered = day.OrderBy(i => i.Start).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var (_, start, end) = ordered[i];
                if (start < 0 || end > 1440 || start >= end)
                    throw Invalid(outsideTheDay, null, DayName(day.Key));
                if (i > 0 && start < ordered[i - 1].End)
                    throw Invalid(overlap, null, DayName(day.Key));
            }
        }
    }

    private static string DayName(DayOfWeek day) => System.Globalization.CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(day);

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyRegex();

    [GeneratedRegex("^#[0-9a-f]{6}$")]
    private static partial Regex ColorRegex();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailRegex();
}
