using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Platform;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>
/// Recipe step <c>bookings</c>: the studio's booking set-up — policy, rooms (with weekly hours), closures, equipment,
/// engineers (existing accounts with the engineer role, by e-mail — create them with a <c>users</c> step first),
/// musicians and services (rooms and engineers named). Everything goes through <see cref="IBookingCatalog"/>, so it
/// is validated, audited (as the system) and counted against the plan like a change made on the pages. See the
/// module README for the format.
/// </summary>
public sealed class BookingsRecipeStep(IBookingCatalog catalog, UserManager<StudioUser> users) : IRecipeStep
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true };

    public string Name => "bookings";

    public async Task ExecuteAsync(JsonElement step, TenantContext tenant, CancellationToken cancellationToken)
    {
        BookingsRecipe recipe;
        try { recipe = step.Deserialize<BookingsRecipe>(Json) ?? new BookingsRecipe(); }
        catch (JsonException e) { throw new RecipeException($"Step 'bookings': {e.Message}", e); }

        var actor = AuditActor.System;
        string current = "policy";
        try
        {
            if (recipe.Policy is { } p)
            {
                var policy = await catalog.GetPolicyAsync(cancellationToken);
                await catalog.SavePolicyAsync(policy with
                {
                    Currency = p.Currency ?? policy.Currency,
                    HoldMinutes = p.HoldMinutes ?? policy.HoldMinutes,
                    MinNoticeMinutes = p.MinNoticeMinutes ?? policy.MinNoticeMinutes,
                    MaxAdvanceDays = p.MaxAdvanceDays ?? policy.MaxAdvanceDays,
                    SlotStepMinutes = p.SlotStepMinutes ?? policy.SlotStepMinutes,
                    DefaultDepositPercent = p.DefaultDepositPercent ?? policy.DefaultDepositPercent,
                    BufferBeforeMinutes = p.BufferBeforeMinutes ?? policy.BufferBeforeMinutes,
                    BufferAfterMinutes = p.BufferAfterMinutes ?? policy.BufferAfterMinutes,
                }, actor, cancellationToken);
            }

            var rooms = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            var sort = 0;
            foreach (var r in recipe.Rooms)
            {
                current = $"room '{r.Name}'";
                var room = await catalog.SaveRoomAsync(new Room
                {
                    Name = r.Name ?? "", Kind = r.Kind ?? RoomKinds.Recording, Description = r.Description ?? "", Capacity = r.Capacity ?? 1,
                    HourlyRate = r.HourlyRate ?? 0, HalfDayRate = r.HalfDayRate, FullDayRate = r.FullDayRate,
                    BufferBeforeMinutes = r.BufferBeforeMinutes, BufferAfterMinutes = r.BufferAfterMinutes,
                    CalendarColor = r.Color ?? "#3b82f6", SortOrder = sort++,
                }, actor, cancellationToken);
                rooms[room.Name] = room.Id;
                await catalog.SetOpeningHoursAsync(room.Id, Weekly(r.Hours).Select(h => new OpeningHours(h.Day, h.Start, h.End)).ToList(), actor, cancellationToken);
            }

            foreach (var c in recipe.Closures)
            {
                current = $"closure '{c.Label}'";
                await catalog.SaveClosureAsync(new Closure(0, c.Room is null ? null : RoomId(rooms, c.Room), Date(c.From), Date(c.To ?? c.From),
                    c.Open is null ? null : Minute(c.Open), c.Close is null ? null : Minute(c.Close, close: true), c.Label ?? ""), actor, cancellationToken);
            }

            foreach (var e in recipe.Equipment)
            {
                current = $"equipment '{e.Name}'";
                await catalog.SaveResourceAsync(new BookableResource
                {
                    Name = e.Name ?? "", Category = e.Category ?? "other", Quantity = e.Quantity ?? 1,
                    RoomId = e.Room is null ? null : RoomId(rooms, e.Room), HourlyRate = e.HourlyRate, DailyRate = e.DailyRate,
                    BookableAlone = e.BookableAlone ?? false,
                }, actor, cancellationToken);
            }

            var engineers = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            foreach (var e in recipe.Engineers)
            {
                current = $"engineer '{e.Email}'";
                var user = await users.FindByEmailAsync(e.Email ?? "")
                    ?? throw new RecipeException($"Step 'bookings': engineer '{e.Email}': no account with this e-mail (add it in a 'users' step with the engineer role).");
                var engineer = await catalog.SaveEngineerAsync(new Engineer { UserId = user.Id, DisplayName = e.Name ?? "", HourlyRate = e.HourlyRate }, actor, cancellationToken);
                engineers[e.Email!] = engineer.Id;
                var hours = Weekly(e.Hours).Select(h => new WorkingHours(h.Day, h.Start, h.End))
                    .Concat(Weekly(e.Breaks).Select(h => new WorkingHours(h.Day, h.Start, h.End, "break"))).ToList();
                await catalog.SetWorkingHoursAsync(engineer.Id, hours, actor, cancellationToken);
            }

            foreach (var m in recipe.Musicians)
            {
                current = $"musician '{m.Name}'";
                await catalog.SaveMusicianAsync(new Musician(0, m.Name ?? "", m.Instruments ?? "", m.Email, m.HourlyRate, false), actor, cancellationToken);
            }

            sort = 0;
            foreach (var s in recipe.Services)
            {
                current = $"service '{s.Name}'";
                await catalog.SaveServiceAsync(new StudioService
                {
                    Name = s.Name ?? "", Description = s.Description ?? "", DurationKind = s.Duration ?? DurationKinds.Hourly,
                    DurationMinutes = s.Minutes ?? 60, MinUnits = s.MinUnits ?? 1, MaxUnits = s.MaxUnits ?? Math.Max(1, s.MinUnits ?? 1),
                    PriceKind = s.PriceKind ?? PriceKinds.RoomRate, Price = s.Price ?? 0, DepositPercent = s.DepositPercent ?? 30,
                    FreeCancelHours = s.FreeCancelHours ?? 48, CancelFeePercent = s.CancelFeePercent ?? 50,
                    SessionKind = s.SessionKind ?? SessionKinds.Hourly, Location = s.Location ?? SessionKinds.Studio,
                    RequiresRoom = s.RequiresRoom ?? true, RequiresEngineer = s.RequiresEngineer ?? false, Public = s.Public ?? true,
                    SortOrder = sort++,
                    RoomIds = s.Rooms.Select(name => RoomId(rooms, name)).ToList(),
                    EngineerIds = s.Engineers.Select(email => engineers.TryGetValue(email, out var id) ? id
                        : throw new RecipeException($"Step 'bookings': service '{s.Name}': engineer '{email}' is not in this step's engineers.")).ToList(),
                }, actor, cancellationToken);
            }
        }
        catch (BookingValidationException e) { throw new RecipeException($"Step 'bookings': {current}: {e.Message}", e); }
        catch (PlanLimitExceededException e) { throw new RecipeException($"Step 'bookings': {current}: {e.Message}", e); }
    }

    private static long RoomId(Dictionary<string, long> rooms, string name) =>
        rooms.TryGetValue(name, out var id) ? id : throw new RecipeException($"Step 'bookings': room '{name}' is not in this step's rooms.");

    private static IEnumerable<(DayOfWeek Day, int Start, int End)> Weekly(IEnumerable<WeeklyItem> items)
    {
        foreach (var item in items)
            foreach (var day in item.Days)
                yield return (Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var d) && !int.TryParse(day, out _) ? d
                        : throw new RecipeException($"Step 'bookings': '{day}' is not a weekday (monday … sunday)."),
                    Minute(item.From), Minute(item.To, close: true));
    }

    /// <summary>"HH:mm" as minutes from midnight; a closing "00:00" or "24:00" is the end of the day.</summary>
    private static int Minute(string? text, bool close = false)
    {
        if (text is "24:00" || (close && text is "00:00"))
            return 1440;
        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time.Hour * 60 + time.Minute
            : throw new RecipeException($"Step 'bookings': '{text}' is not a time (HH:mm).");
    }

    private static DateOnly Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : throw new RecipeException($"Step 'bookings': '{text}' is not a date (yyyy-MM-dd).");

    private sealed class BookingsRecipe
    {
        public PolicyItem? Policy { get; set; }
        public List<RoomItem> Rooms { get; set; } = [];
        public List<ClosureItem> Closures { get; set; } = [];
        public List<EquipmentItem> Equipment { get; set; } = [];
        public List<EngineerItem> Engineers { get; set; } = [];
        public List<MusicianItem> Musicians { get; set; } = [];
        public List<ServiceItem> Services { get; set; } = [];
    }

    private sealed class PolicyItem
    {
        public string? Currency { get; set; }
        public int? HoldMinutes { get; set; }
        public int? MinNoticeMinutes { get; set; }
        public int? MaxAdvanceDays { get; set; }
        public int? SlotStepMinutes { get; set; }
        public int? DefaultDepositPercent { get; set; }
        public int? BufferBeforeMinutes { get; set; }
        public int? BufferAfterMinutes { get; set; }
    }

    private sealed class WeeklyItem
    {
        public List<string> Days { get; set; } = [];
        public string? From { get; set; }
        public string? To { get; set; }
    }

    private sealed class RoomItem
    {
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public string? Description { get; set; }
        public int? Capacity { get; set; }
        public decimal? HourlyRate { get; set; }
        public decimal? HalfDayRate { get; set; }
        public decimal? FullDayRate { get; set; }
        public int? BufferBeforeMinutes { get; set; }
        public int? BufferAfterMinutes { get; set; }
        public string? Color { get; set; }
        public List<WeeklyItem> Hours { get; set; } = [];
    }

    private sealed class ClosureItem
    {
        public string? Room { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }
        public string? Open { get; set; }
        public string? Close { get; set; }
        public string? Label { get; set; }
    }

    private sealed class EquipmentItem
    {
        public string? Name { get; set; }
        public string? Category { get; set; }
        public int? Quantity { get; set; }
        public string? Room { get; set; }
        public decimal? HourlyRate { get; set; }
        public decimal? DailyRate { get; set; }
        public bool? BookableAlone { get; set; }
    }

    private sealed class EngineerItem
    {
        public string? Email { get; set; }
        public string? Name { get; set; }
        public decimal? HourlyRate { get; set; }
        public List<WeeklyItem> Hours { get; set; } = [];
        public List<WeeklyItem> Breaks { get; set; } = [];
    }

    private sealed class MusicianItem
    {
        public string? Name { get; set; }
        public string? Instruments { get; set; }
        public string? Email { get; set; }
        public decimal? HourlyRate { get; set; }
    }

    private sealed class ServiceItem
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string? Duration { get; set; }
        public int? Minutes { get; set; }
        public int? MinUnits { get; set; }
        public int? MaxUnits { get; set; }
        public string? PriceKind { get; set; }
        public decimal? Price { get; set; }
        public int? DepositPercent { get; set; }
        public int? FreeCancelHours { get; set; }
        public int? CancelFeePercent { get; set; }
        public string? SessionKind { get; set; }
        public string? Location { get; set; }
        public bool? RequiresRoom { get; set; }
        public bool? RequiresEngineer { get; set; }
        public bool? Public { get; set; }
        public List<string> Rooms { get; set; } = [];
        public List<string> Engineers { get; set; } = [];
    }
}
