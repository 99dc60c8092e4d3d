using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Modules.Resellers.Pages.Reseller;

/// <summary>The reseller's own tenants: search (name, display name, host) and paging; its quota and plans.</summary>
public sealed class IndexModel(ITenantAdministration tenants, IResellerDirectory resellers) : ResellerPage
{
    /// <summary>Rows per page unless the query asks for another size (<c>size</c>, 1–200).</summary>
    public const int DefaultPageSize = 50;

    [Microsoft.AspNetCore.Mvc.BindProperty(Name = "q", SupportsGet = true)] public string? Search { get; set; }
    [Microsoft.AspNetCore.Mvc.BindProperty(Name = "p", SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [Microsoft.AspNetCore.Mvc.BindProperty(Name = "size", SupportsGet = true)] public int? Size { get; set; }
    public int PageSize => Math.Clamp(Size ?? DefaultPageSize, 1, 200);

    [Microsoft.AspNetCore.Mvc.TempData] public string? Message { get; set; }

    public ResellerInfo? Reseller { get; private set; }
    public TenantPage Result { get; private set; } = new([], 0, 1, DefaultPageSize);
    /// <summary>Tenants it owns (all of them, whatever the search).</summary>
    public int Owned { get; private set; }
    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    /// <summary>The search and size as route values, so page links keep them.</summary>
    public Dictionary<string, string> Filters(int page)
    {
        var values = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(Search)) values["q"] = Search;
        if (Size is not null) values["size"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Reseller = await resellers.GetAsync(ResellerId, cancellationToken);
        // The actor overload forces the query to this reseller's tenants whatever is asked.
        Result = await tenants.QueryAsync(Actor, new TenantQuery { Search = Search, Page = Math.Max(1, PageNumber), PageSize = PageSize }, cancellationToken);
        Owned = (await tenants.QueryAsync(Actor, new TenantQuery { PageSize = 1 }, cancellationToken)).Total;
    }
}
