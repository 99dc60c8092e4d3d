using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Equipment;

/// <summary>Equipment and other limited resources.</summary>
public sealed class IndexModel(IBookingCatalog catalog, IStringLocalizer<IndexModel> localizer) : CatalogPage(localizer)
{
    public IReadOnlyList<BookableResource> Resources { get; private set; } = [];
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Resources = (await catalog.ListResourcesAsync(includeArchived: true, cancellationToken)).OrderBy(r => r.Archived).ToList();
        Rooms = await catalog.ListRoomsAsync(includeArchived: true, cancellationToken);
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
    }

    public string RoomName(long? id) => id is null ? "—" : Rooms.FirstOrDefault(r => r.Id == id)?.Name ?? "#" + id;
}
