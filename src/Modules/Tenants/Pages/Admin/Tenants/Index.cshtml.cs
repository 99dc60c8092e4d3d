using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Tenants.Pages.Admin.Tenants;

/// <summary>The operator's tenant list: search, filters (state, plan, reseller), paging; reload and disable/enable.</summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class IndexModel(ITenantAdministration tenants, IResellerDirectory resellers, IStringLocalizer<IndexModel> localizer) : OperatorPage
{
    /// <summary>Rows per page unless the query asks for another size (<c>size</c>, 1–200).</summary>
    public const int DefaultPageSize = 50;

    [BindProperty(Name = "q", SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public TenantState? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Plan { get; set; }
    [BindProperty(SupportsGet = true)] public string? Reseller { get; set; }
    [BindProperty(Name = "p", SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [BindProperty(Name = "size", SupportsGet = true)] public int? Size { get; set; }
    public int PageSize => Math.Clamp(Size ?? DefaultPageSize, 1, 200);

    [TempData] public string? Message { get; set; }

    public TenantPage Result { get; private set; } = new([], 0, 1, DefaultPageSize);
    public int Running { get; private set; }
    public int Disabled { get; private set; }
    public int All { get; private set; }
    public IReadOnlyList<ResellerInfo> Resellers { get; private set; } = [];
    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    /// <summary>The filters as route values, so page links keep them.</summary>
    public Dictionary<string, string> Filters(int page)
    {
        var values = new Dictionary<string, string>();
        if (!string.IsNullOrWhiteSpace(Search)) values["q"] = Search;
        if (State is { } s) values["state"] = s.ToString();
        if (!string.IsNullOrWhiteSpace(Plan)) values["plan"] = Plan;
        if (!string.IsNullOrWhiteSpace(Reseller)) values["reseller"] = Reseller;
        if (Size is not null) values["size"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostReloadAsync(string name, CancellationToken cancellationToken) =>
        ActAsync(async () => await tenants.ReloadAsync(Actor, name, cancellationToken), localizer["Tenant '{0}' will be rebuilt on its next request.", name], cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string name, CancellationToken cancellationToken) =>
        ActAsync(async () => await tenants.SetEnabledAsync(Actor, name, false, cancellationToken), localizer["Tenant '{0}' is disabled.", name], cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string name, CancellationToken cancellationToken) =>
        ActAsync(async () => await tenants.SetEnabledAsync(Actor, name, true, cancellationToken), localizer["Tenant '{0}' is enabled.", name], cancellationToken);

    private Task<IActionResult> ActAsync(Func<Task> action, string success, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await action();
            Message = success;
            return RedirectToPage(Filters(PageNumber));
        }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Result = await tenants.QueryAsync(Actor, new TenantQuery
        {
            Search = Search, State = State, Plan = Plan, Reseller = Reseller, Page = Math.Max(1, PageNumber), PageSize = PageSize,
        }, cancellationToken);
        All = (await tenants.QueryAsync(Actor, new TenantQuery { PageSize = 1 }, cancellationToken)).Total;
        Running = (await tenants.QueryAsync(Actor, new TenantQuery { State = TenantState.Running, PageSize = 1 }, cancellationToken)).Total;
        Disabled = (await tenants.QueryAsync(Actor, new TenantQuery { State = TenantState.Disabled, PageSize = 1 }, cancellationToken)).Total;
        Resellers = await resellers.ListAsync(cancellationToken);
    }
}
