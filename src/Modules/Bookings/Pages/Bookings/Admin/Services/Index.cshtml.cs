using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Services;

/// <summary>The services catalogue.</summary>
public sealed class IndexModel(IBookingCatalog catalog, IStringLocalizer<IndexModel> localizer) : CatalogPage(localizer)
{
    public IReadOnlyList<StudioService> Services { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Services = (await catalog.ListServicesAsync(cancellationToken: cancellationToken)).OrderBy(s => s.Archived).ToList();
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
    }

    /// <summary>How the service is priced, in words.</summary>
    public string PriceText(StudioService s) => s.PriceKind switch
    {
        PriceKinds.Fixed => localizer["{0} fixed", Money(s.Price, Currency)],
        PriceKinds.PerHour => localizer["{0} per hour", Money(s.Price, Currency)],
        _ => localizer["The room's rates"],
    };

    /// <summary>The duration rule, in words.</summary>
    public string DurationText(StudioService s) => s.DurationKind switch
    {
        DurationKinds.Fixed => localizer["{0} minutes", s.DurationMinutes],
        DurationKinds.Hourly => localizer["{0}–{1} hours", s.MinUnits, s.MaxUnits],
        _ => localizer["{0}–{1} blocks of {2} minutes", s.MinUnits, s.MaxUnits, s.DurationMinutes],
    };
}
