using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.Staff;

/// <summary>Staff books for a client: find the client, the service and a free slot; the booking is confirmed at once.</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class NewModel(IBookingEngine engine, IBookingCatalog catalog, IClientDirectory clients, SlotFinder finder,
    IStringLocalizer<NewModel> localizer) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "client")] public long? ClientId { get; set; }
    [BindProperty(SupportsGet = true, Name = "service")] public long? ServiceId { get; set; }
    [BindProperty(SupportsGet = true, Name = "from")] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "room")] public long? Room { get; set; }
    [BindProperty(SupportsGet = true, Name = "engineer")] public long? Engineer { get; set; }
    [BindProperty(SupportsGet = true, Name = "units")] public int? Units { get; set; }
    [BindProperty(Name = "start")] public string? Start { get; set; }
    [BindProperty(SupportsGet = true, Name = "notes")] public string? Notes { get; set; }
    /// <summary>Weeks in a row (a weekly series, e.g. a lockout); 1 or empty: a single session.</summary>
    [BindProperty(SupportsGet = true, Name = "weeks")] public int? Weeks { get; set; }

    /// <summary>Longest weekly series made from this page.</summary>
    public const int MaxWeeks = 52;

    public IReadOnlyList<Client> Clients { get; private set; } = [];
    public IReadOnlyList<StudioService> Services { get; private set; } = [];
    public StudioService? Service { get; private set; }
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public IReadOnlyList<Engineer> Engineers { get; private set; } = [];
    public IReadOnlyList<SlotDay> Days { get; private set; } = [];
    public bool Searched { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (ClientId is null || Service is null)
            return;
        var policy = await catalog.GetPolicyAsync(cancellationToken);
        var search = new SlotSearch { From = From, To = To, Room = Room, Engineer = Engineer, Units = Units };
        foreach (var (field, message) in finder.Normalize(search, Service, policy, staff: true))
            ModelState.AddModelError(field.ToLowerInvariant(), message);
        (From, To, Units) = (search.From, search.To, search.Units);
        if (!ModelState.IsValid)
            return;
        try
        {
            Days = await finder.FindAsync(Service, search, cancellationToken);
            Searched = true;
        }
        catch (BookingValidationException e)
        {
            ModelState.AddModelError(e.Field ?? "", e.Message);
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (ClientId is null || !Clients.Any(c => c.Id == ClientId))
            ModelState.AddModelError("client", localizer["Choose the client."]);
        if (Service is null)
            ModelState.AddModelError("service", localizer["Choose the service."]);
        if (TenantTime.FromToken(Start) is not { } start)
        {
            ModelState.AddModelError("", localizer["This time is not valid. Please choose one from the list."]);
            return Page();
        }
        if (Weeks is < 1 or > MaxWeeks)
            ModelState.AddModelError("weeks", localizer["Repeat between 1 and {0} weeks.", MaxWeeks]);
        if (!ModelState.IsValid)
            return Page();
        try
        {
            var request = new BookingRequest
            {
                ServiceId = Service!.Id, StartUtc = start, Units = Service.DurationKind == DurationKinds.Fixed ? null : Units,
                RoomId = Room, EngineerId = Engineer, ClientId = ClientId,
                Notes = string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim(),
            };
            var actor = AuditActor.FromPrincipal(User, AuditActor.Anonymous);
            var booking = Weeks is > 1
                ? (await engine.BookSeriesAsync(new SeriesRequest(request, $"FREQ=WEEKLY;COUNT={Weeks}"), actor, cancellationToken)).OrderBy(b => b.StartUtc).First()
                : await engine.BookAsync(request, actor, cancellationToken);
            return Redirect(Url.Content($"~/studio/bookings/{booking.Id}?done=1"));
        }
        catch (Exception e) when (e is SlotTakenException or BookingValidationException or BookingStateException)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var found = (await clients.SearchAsync(string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(), null, 1, 50, cancellationToken)).Items.ToList();
        if (ClientId is { } id && found.All(c => c.Id != id) && await clients.GetAsync(id, cancellationToken) is { } chosen)
            found.Insert(0, chosen);
        Clients = found;
        Services = (await catalog.ListServicesAsync(false, cancellationToken)).Where(s => !s.Archived).ToList();
        Service = ServiceId is { } serviceId ? Services.FirstOrDefault(s => s.Id == serviceId) : null;
        if (Service is not null)
        {
            Rooms = await finder.RoomsForAsync(Service, cancellationToken);
            Engineers = await finder.EngineersForAsync(Service, cancellationToken);
            if (Room is { } room && Rooms.All(r => r.Id != room))
                Room = null;
            if (Engineer is { } engineer && Engineers.All(e => e.Id != engineer))
                Engineer = null;
        }
    }
}
