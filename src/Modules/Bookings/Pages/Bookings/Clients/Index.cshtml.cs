using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Identity;
using Studio.Modules.Bookings.Services.Clients;

namespace Studio.Modules.Bookings.Pages.Bookings.Clients;

/// <summary>The studio's clients: search by name, artist name, e-mail or phone, filter by kind, paged.</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class IndexModel(IClientDirectory directory) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    [TempData] public string? Message { get; set; }

    public ClientPage Result { get; private set; } = new([], 1, PageSize, 0);

    public int Pages => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Kind is not ("person" or "company"))
            Kind = null;
        Query = Query?.Trim();
        if (Query?.Length > 200)
            Query = Query[..200];
        Result = await directory.SearchAsync(Query, Kind, Math.Max(1, PageNumber), PageSize, cancellationToken);
        if (Result.Items.Count == 0 && PageNumber > Pages)
            Result = await directory.SearchAsync(Query, Kind, PageNumber = Pages, PageSize, cancellationToken);
    }

    /// <summary>The query string of another page of the same search.</summary>
    public Dictionary<string, string> RouteFor(int page)
    {
        var values = new Dictionary<string, string> { ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (!string.IsNullOrEmpty(Query))
            values["q"] = Query;
        if (Kind is not null)
            values["kind"] = Kind;
        return values;
    }
}
