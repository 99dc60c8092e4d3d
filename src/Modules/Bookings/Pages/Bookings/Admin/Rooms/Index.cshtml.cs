using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Rooms;

/// <summary>The studio's rooms, archived ones last.</summary>
public sealed class IndexModel(IBookingCatalog catalog, IStringLocalizer<IndexModel> localizer) : CatalogPage(localizer)
{
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rooms = (await catalog.ListRoomsAsync(includeArchived: true, cancellationToken)).OrderBy(r => r.Archived).ToList();
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
    }
}
