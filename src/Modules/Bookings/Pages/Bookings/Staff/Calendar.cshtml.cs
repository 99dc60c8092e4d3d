using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.Staff;

/// <summary>The staff calendar: a day or a week, one row per room or per engineer, in the tenant's time zone.</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class CalendarModel(IBookingEngine engine, IBookingCatalog catalog, IClientDirectory clients, TenantTime time) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "view")] public string? View { get; set; }
    [BindProperty(SupportsGet = true, Name = "date")] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true, Name = "by")] public string? By { get; set; }

    public bool Week => View != "day";
    public bool ByEngineer => By == "engineer";
    public IReadOnlyList<DateOnly> Days { get; private set; } = [];
    public IReadOnlyList<(long Id, string Name, string Color)> Rows { get; private set; } = [];
    public IReadOnlyList<Booking> Bookings { get; private set; } = [];
    public IReadOnlyDictionary<long, string> ClientNames { get; private set; } = new Dictionary<long, string>();
    public IReadOnlyDictionary<long, string> ServiceNames { get; private set; } = new Dictionary<long, string>();
    public DateOnly Previous { get; private set; }
    public DateOnly Next { get; private set; }

    private static readonly string[] Shown =
        [BookingStatuses.Held, BookingStatuses.Confirmed, BookingStatuses.Completed, BookingStatuses.NoShow, BookingStatuses.Blocked];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        View = View == "day" ? "day" : "week";
        By = By == "engineer" ? "engineer" : "room";
        var date = Date ?? time.Today;
        var first = Week ? date.AddDays(-(((int)date.DayOfWeek + 6) % 7)) : date;
        Date = date;
        Days = Enumerable.Range(0, Week ? 7 : 1).Select(first.AddDays).ToList();
        Previous = date.AddDays(Week ? -7 : -1);
        Next = date.AddDays(Week ? 7 : 1);
        if (ByEngineer)
            Rows = (await catalog.ListEngineersAsync(false, cancellationToken)).Select(e => (e.Id, e.DisplayName, "#6b7280")).ToList();
        else
            Rows = (await catalog.ListRoomsAsync(false, cancellationToken)).OrderBy(r => r.SortOrder).ThenBy(r => r.Name)
                .Select(r => (r.Id, r.Name, r.CalendarColor)).ToList();
        var fromUtc = time.StartOfDayUtc(Days[0]);
        var toUtc = time.StartOfDayUtc(Days[^1].AddDays(1));
        Bookings = (await engine.ListAsync(new BookingQuery(fromUtc, toUtc, Statuses: Shown, Limit: 5000), cancellationToken))
            .OrderBy(b => b.StartUtc).ToList();
        var names = new Dictionary<long, string>();
        foreach (var clientId in Bookings.Where(b => b.ClientId is not null).Select(b => b.ClientId!.Value).Distinct())
            if (await clients.GetAsync(clientId, cancellationToken) is { } client)
                names[clientId] = client.Name;
        ClientNames = names;
        ServiceNames = (await catalog.ListServicesAsync(false, cancellationToken)).ToDictionary(s => s.Id, s => s.Name);
    }

    /// <summary>Bookings of a row overlapping a local day.</summary>
    public IEnumerable<Booking> Cell(long rowId, DateOnly day)
    {
        var start = time.StartOfDayUtc(day);
        var end = time.StartOfDayUtc(day.AddDays(1));
        return Bookings.Where(b => b.StartUtc < end && b.EndUtc > start
            && (ByEngineer ? b.EngineerIds.Contains(rowId) || b.People.Any(p => p.EngineerId == rowId) : b.RoomId == rowId));
    }

    public string Label(Booking booking)
    {
        if (booking.Status == BookingStatuses.Blocked)
            return booking.Title ?? "";
        var client = booking.ClientId is { } c && ClientNames.TryGetValue(c, out var n) ? n : "";
        var service = booking.ServiceId is { } s && ServiceNames.TryGetValue(s, out var sn) ? sn : booking.Title ?? "";
        return string.Join(" · ", new[] { client, service }.Where(x => x.Length > 0));
    }

    public string Link(DateOnly date, string? view = null, string? by = null) =>
        Url.Content($"~/studio/calendar?view={view ?? View}&by={by ?? By}&date={date:yyyy-MM-dd}");
}
