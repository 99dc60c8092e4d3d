using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.Portal;

/// <summary>One service: pick dates, a room, an engineer and a length, and see the free slots (server-rendered).</summary>
[AllowAnonymous]
public sealed class ServiceModel(IBookingCatalog catalog, SlotFinder finder) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "room")] public long? Room { get; set; }
    [BindProperty(SupportsGet = true, Name = "engineer")] public long? Engineer { get; set; }
    [BindProperty(SupportsGet = true, Name = "units")] public int? Units { get; set; }

    public StudioService Service { get; private set; } = new();
    public BookingPolicy Policy { get; private set; } = new();
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public IReadOnlyList<Engineer> Engineers { get; private set; } = [];
    public IReadOnlyList<SlotDay> Days { get; private set; } = [];
    public bool Searched { get; private set; }

    public string RoomName(long? id) => Rooms.FirstOrDefault(r => r.Id == id)?.Name ?? "";
    public string EngineerName(long? id) => Engineers.FirstOrDefault(e => e.Id == id)?.DisplayName ?? "";

    public async Task<IActionResult> OnGetAsync(long serviceId, CancellationToken cancellationToken)
    {
        var service = await catalog.GetServiceAsync(serviceId, cancellationToken);
        if (service is null || !service.Public || service.Archived)
            return NotFound();
        Service = service;
        Policy = await catalog.GetPolicyAsync(cancellationToken);
        Rooms = await finder.RoomsForAsync(service, cancellationToken);
        Engineers = await finder.EngineersForAsync(service, cancellationToken);
        // A value bound from the query that is not a date or a number is a model error already.
        var search = new SlotSearch { From = From, To = To, Room = Room, Engineer = Engineer, Units = Units };
        foreach (var (field, message) in finder.Normalize(search, service, Policy, staff: false))
            ModelState.AddModelError(field.ToLowerInvariant(), message);
        (From, To, Units) = (search.From, search.To, search.Units);
        if (Room is { } room && Rooms.All(r => r.Id != room))
            Room = null;
        if (Engineer is { } engineer && Engineers.All(e => e.Id != engineer))
            Engineer = null;
        search.Room = Room;
        search.Engineer = Engineer;
        if (!ModelState.IsValid)
            return Page();
        try
        {
            Days = await finder.FindAsync(service, search, cancellationToken);
            Searched = true;
        }
        catch (BookingValidationException e)
        {
            ModelState.AddModelError(e.Field ?? "", e.Message);
        }
        return Page();
    }
}
