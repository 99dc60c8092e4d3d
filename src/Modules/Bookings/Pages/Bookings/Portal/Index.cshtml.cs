using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Portal;

/// <summary>The public services catalogue: what a client can book.</summary>
[AllowAnonymous]
public sealed class IndexModel(IBookingCatalog catalog) : PageModel
{
    public IReadOnlyList<StudioService> Services { get; private set; } = [];

    public BookingPolicy Policy { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Policy = await catalog.GetPolicyAsync(cancellationToken);
        Services = (await catalog.ListServicesAsync(publicOnly: true, cancellationToken))
            .Where(s => s.Public && !s.Archived).OrderBy(s => s.SortOrder).ThenBy(s => s.Name, StringComparer.CurrentCulture).ToList();
    }
}
