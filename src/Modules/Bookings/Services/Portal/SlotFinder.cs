using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>What a client (or staff) asked to see: a service over local dates, optionally a room, an engineer, a length.</summary>
public sealed class SlotSearch
{
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
    public long? Room { get; set; }
    public long? Engineer { get; set; }
    public int? Units { get; set; }
}

/// <summary>Slots of one local day.</summary>
public sealed record SlotDay(DateOnly Date, IReadOnlyList<Slot> Slots);

/// <summary>
/// Validates a <see cref="SlotSearch"/> against the service and the policy and asks <see cref="IAvailabilityService"/>
/// for the free slots, grouped by local day. Shared by the portal and the staff's booking page.
/// </summary>
public sealed class SlotFinder(IAvailabilityService availability, IBookingCatalog catalog, TenantTime time, IStringLocalizer<SlotFinder> localizer)
{
    /// <summary>Longest range one search covers.</summary>
    public const int MaxDays = 31;

    /// <summary>Fills defaults (today … a week ahead, the service's minimum length) and checks the search; errors by field.</summary>
    public Dictionary<string, string> Normalize(SlotSearch search, StudioService service, BookingPolicy policy, bool staff)
    {
        var errors = new Dictionary<string, string>();
        var today = time.Today;
        search.From ??= today;
        search.To ??= search.From.Value.AddDays(6);
        if (!staff && search.From < today)
            search.From = today;
        if (search.To < search.From)
            errors[nameof(SlotSearch.To)] = localizer["The last day must not be before the first day."];
        else if (search.To.Value.DayNumber - search.From.Value.DayNumber + 1 > MaxDays)
            errors[nameof(SlotSearch.To)] = localizer["Search at most {0} days at a time.", MaxDays];
        if (!staff && search.From.Value.DayNumber - today.DayNumber > policy.MaxAdvanceDays)
            errors[nameof(SlotSearch.From)] = localizer["Sessions can be booked at most {0} days ahead.", policy.MaxAdvanceDays];
        if (service.DurationKind == DurationKinds.Fixed)
            search.Units = null;
        else if (search.Units is null)
            search.Units = service.MinUnits;
        else if (search.Units < service.MinUnits || search.Units > service.MaxUnits)
            errors[nameof(SlotSearch.Units)] = service.DurationKind == DurationKinds.Hourly
                ? localizer["Choose between {0} and {1} hours.", service.MinUnits, service.MaxUnits]
                : localizer["Choose between {0} and {1} blocks.", service.MinUnits, service.MaxUnits];
        return errors;
    }

    /// <summary>The rooms the service can be delivered in (bookable, not archived).</summary>
    public async Task<IReadOnlyList<Room>> RoomsForAsync(StudioService service, CancellationToken cancellationToken)
    {
        if (!service.RequiresRoom)
            return [];
        var rooms = await catalog.ListRoomsAsync(false, cancellationToken);
        return rooms.Where(r => r.Bookable && !r.Archived && (service.RoomIds.Count == 0 || service.RoomIds.Contains(r.Id)))
            .OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The engineers who can deliver the service (active), or none when it needs no engineer and names none.</summary>
    public async Task<IReadOnlyList<Engineer>> EngineersForAsync(StudioService service, CancellationToken cancellationToken)
    {
        if (!service.RequiresEngineer && service.EngineerIds.Count == 0)
            return [];
        var engineers = await catalog.ListEngineersAsync(false, cancellationToken);
        return engineers.Where(e => e.Active && (service.EngineerIds.Count == 0 || service.EngineerIds.Contains(e.Id)))
            .OrderBy(e => e.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>Free slots grouped by local day (days without slots are left out).</summary>
    public async Task<IReadOnlyList<SlotDay>> FindAsync(StudioService service, SlotSearch search, CancellationToken cancellationToken)
    {
        var slots = await availability.FindSlotsAsync(
            new SlotQuery(service.Id, search.From!.Value, search.To!.Value, search.Room, search.Engineer, search.Units), cancellationToken);
        return slots.OrderBy(s => s.StartUtc).ThenBy(s => s.RoomId).ThenBy(s => s.EngineerId)
            .GroupBy(s => DateOnly.FromDateTime(time.ToLocal(s.StartUtc)))
            .Select(g => new SlotDay(g.Key, g.ToList())).ToList();
    }

    /// <summary>The free slot starting at <paramref name="startUtc"/> (in that room, with that engineer when given), or null.</summary>
    public async Task<Slot?> FindOneAsync(StudioService service, DateTime startUtc, long? room, long? engineer, int? units, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(time.ToLocal(startUtc));
        var slots = await availability.FindSlotsAsync(new SlotQuery(service.Id, day, day, room, engineer, units), cancellationToken);
        return slots.FirstOrDefault(s => s.StartUtc == startUtc && (room is null || s.RoomId == room) && (engineer is null || s.EngineerId == engineer));
    }
}
