using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;

namespace Studio.Modules.Tenants.Pages.Admin.Tenants;

/// <summary>Edits a tenant's record (version-checked: a save over someone else's newer edit is refused).</summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class EditModel(ITenantAdministration tenants, IResellerDirectory resellers, IServiceProvider services,
    IStringLocalizer<EditModel> localizer) : OperatorPage
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Hosts { get; set; }
    [BindProperty] public string? PrimaryHost { get; set; }
    [BindProperty] public string? Prefix { get; set; }
    [BindProperty] public string? Theme { get; set; }
    [BindProperty] public string? Culture { get; set; }
    [BindProperty] public string? TimeZone { get; set; }
    [BindProperty] public string? Plan { get; set; }
    [BindProperty] public string? Reseller { get; set; }
    [BindProperty] public string Version { get; set; } = "";

    public TenantInfo? Tenant { get; private set; }
    public IReadOnlyList<string> Themes => tenants.Themes;
    public IReadOnlyList<PlanDefinition>? Plans { get; private set; }
    public IReadOnlyList<ResellerInfo> Resellers { get; private set; } = [];

    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var t = Tenant!;
        (DisplayName, Hosts, PrimaryHost, Prefix, Theme, Culture, TimeZone, Plan, Reseller, Version) =
            (t.DisplayName, string.Join("\n", t.Hosts), t.PrimaryHost, t.Prefix, t.Theme, t.Culture, t.TimeZone, t.Plan, t.Reseller, t.Version);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        await tenants.UpdateAsync(Actor, Name, Version, new TenantEdit
        {
            DisplayName = DisplayName ?? "",
            Hosts = CreateModel.SplitHosts(Hosts),
            PrimaryHost = PrimaryHost ?? "",
            Prefix = Prefix ?? "",
            Theme = Theme ?? "",
            Culture = string.IsNullOrWhiteSpace(Culture) ? null : Culture.Trim(),
            TimeZone = string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone.Trim(),
            Plan = Plan ?? "",
            Reseller = Reseller ?? "",
        }, cancellationToken);
        Message = localizer["Tenant '{0}' is saved.", Name];
        return RedirectToPage("/Admin/Tenants/Edit", new { name = Name });
    }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Tenant = await tenants.GetAsync(Actor, Name, cancellationToken);
        Plans = services.GetService<IPlanCatalog>() is { } catalog ? await catalog.ListAsync(cancellationToken) : null;
        Resellers = await resellers.ListAsync(cancellationToken);
        return Tenant is not null;
    }
}
