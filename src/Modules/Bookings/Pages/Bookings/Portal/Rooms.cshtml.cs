using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Portal;

/// <summary>The studio's rooms, publicly.</summary>
[AllowAnonymous]
public sealed class RoomsModel(IBookingCatalog catalog, RoomPhotoStore photos) : PageModel
{
    public IReadOnlyList<Room> Rooms { get; private set; } = [];

    public BookingPolicy Policy { get; private set; } = new();

    /// <summary>Photo URLs (tenant-relative) per room, in the studio's order.</summary>
    public IReadOnlyDictionary<long, IReadOnlyList<string>> Photos { get; private set; } = new Dictionary<long, IReadOnlyList<string>>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Policy = await catalog.GetPolicyAsync(cancellationToken);
        Rooms = (await catalog.ListRoomsAsync(includeArchived: false, cancellationToken))
            .Where(r => r.Bookable && !r.Archived).OrderBy(r => r.SortOrder).ThenBy(r => r.Name, StringComparer.CurrentCulture).ToList();
        var all = new Dictionary<long, IReadOnlyList<string>>();
        foreach (var room in Rooms)
            all[room.Id] = (await photos.ListAsync(room.Id, cancellationToken)).OrderBy(p => p.SortOrder).Select(RoomPhotoStore.UrlOf).ToList();
        Photos = all;
    }
}
