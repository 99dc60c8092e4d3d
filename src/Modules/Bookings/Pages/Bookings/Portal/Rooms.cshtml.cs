using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Portal;

/// <summary>The studio's rooms, publicly.</summary>
[AllowAnonymous]
public sealed class RoomsModel(IBookingCatalog catalog) : PageModel
{
    public IReadOnlyList<Room> Rooms { get; private set; } = [];

    public BookingPolicy Policy { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Policy = await catalog.GetPolicyAsync(cancellationToken);
        Rooms = (await catalog.ListRoomsAsync(includeArchived: false, cancellationToken))
            .Where(r => r.Bookable && !r.Archived).OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.CurrentCulture).ToList();
    }
}
