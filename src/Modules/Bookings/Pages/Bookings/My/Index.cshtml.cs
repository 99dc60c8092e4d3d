using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.My;

/// <summary>The signed-in client's sessions: upcoming and past, and what they owe.</summary>
[Authorize]
public sealed class IndexModel(PortalClients portalClients, IBookingEngine engine, IBookingCatalog catalog, TenantTime time) : PageModel
{
    public IReadOnlyList<Booking> Upcoming { get; private set; } = [];
    public IReadOnlyList<Booking> Past { get; private set; } = [];
    public IReadOnlyDictionary<string, decimal> Owed { get; private set; } = new Dictionary<string, decimal>();
    public IReadOnlyDictionary<long, string> Services { get; private set; } = new Dictionary<long, string>();
    public IReadOnlyDictionary<long, string> Rooms { get; private set; } = new Dictionary<long, string>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var client = await portalClients.FindAsync(User, cancellationToken);
        if (client is null)
            return;
        var bookings = await engine.ListAsync(new BookingQuery(ClientId: client.Id, Limit: 1000), cancellationToken);
        var now = time.UtcNow;
        Upcoming = bookings.Where(b => b.EndUtc > now && b.Status is BookingStatuses.Held or BookingStatuses.Confirmed)
            .OrderBy(b => b.StartUtc).ToList();
        Past = bookings.Except(Upcoming).Where(b => b.Status != BookingStatuses.Expired).OrderByDescending(b => b.StartUtc).ToList();
        Owed = bookings.GroupBy(b => b.Currency).Select(g => (g.Key, Sum: g.Sum(BookingLabels.Owed)))
            .Where(x => x.Sum != 0).ToDictionary(x => x.Key, x => x.Sum);
        Services = (await catalog.ListServicesAsync(false, cancellationToken)).ToDictionary(s => s.Id, s => s.Name);
        Rooms = (await catalog.ListRoomsAsync(true, cancellationToken)).ToDictionary(r => r.Id, r => r.Name);
    }

    public string ServiceName(Booking booking) => booking.ServiceId is { } id && Services.TryGetValue(id, out var name) ? name : booking.Title ?? "";
    public string RoomName(Booking booking) => booking.RoomId is { } id && Rooms.TryGetValue(id, out var name) ? name : "";
}
