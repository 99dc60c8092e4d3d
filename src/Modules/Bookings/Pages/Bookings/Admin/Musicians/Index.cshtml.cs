using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Musicians;

/// <summary>Session musicians who can be put on a session.</summary>
public sealed class IndexModel(IBookingCatalog catalog, IStringLocalizer<IndexModel> localizer) : CatalogPage(localizer)
{
    public IReadOnlyList<Musician> Musicians { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Musicians = await catalog.ListMusiciansAsync(cancellationToken);
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
    }
}
