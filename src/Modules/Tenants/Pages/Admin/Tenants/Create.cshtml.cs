using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;

namespace Studio.Modules.Tenants.Pages.Admin.Tenants;

/// <summary>Creates a tenant: name, hosts, prefix, database, setup recipe, plan, reseller, theme.</summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class CreateModel(ITenantAdministration tenants, IResellerDirectory resellers, IServiceProvider services,
    IStringLocalizer<CreateModel> localizer) : OperatorPage
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    /// <summary>Host names, one per line or separated by commas.</summary>
    [BindProperty] public string? Hosts { get; set; }
    [BindProperty] public string? Prefix { get; set; }
    /// <summary><c>platform</c> (the platform's engine) or <c>own</c> (a PostgreSQL database of its own).</summary>
    [BindProperty] public string Database { get; set; } = "platform";
    [BindProperty] public string? ConnectionString { get; set; }
    [BindProperty] public string? Recipe { get; set; } = "blank-studio";
    [BindProperty] public string? Plan { get; set; }
    [BindProperty] public string? Reseller { get; set; }
    [BindProperty] public string? Theme { get; set; }

    public IReadOnlyList<string> Recipes => tenants.Recipes;
    public IReadOnlyList<string> Themes => tenants.Themes;
    public IReadOnlyList<PlanDefinition>? Plans { get; private set; }
    public IReadOnlyList<ResellerInfo> Resellers { get; private set; } = [];

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (Database == "own" && string.IsNullOrWhiteSpace(ConnectionString))
        {
            ModelState.AddModelError(nameof(ConnectionString), localizer["Enter the connection string of the tenant's own database."]);
            await LoadAsync(cancellationToken);
            return Page();
        }
        var created = await tenants.CreateAsync(Actor, new TenantDraft
        {
            Name = Name?.Trim() ?? "",
            DisplayName = DisplayName,
            Hosts = SplitHosts(Hosts),
            Prefix = Prefix,
            ConnectionString = Database == "own" ? ConnectionString : null,
            Recipe = Recipe,
            Plan = Plan,
            Reseller = Reseller,
            Theme = Theme,
        }, cancellationToken);
        Message = localizer["Tenant '{0}' is created.", created.Name];
        return RedirectToPage("/Admin/Tenants/Index", new { q = created.Name });
    }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);

    /// <summary>Host names from a text box: commas, spaces or new lines separate them.</summary>
    public static IReadOnlyList<string> SplitHosts(string? text) =>
        (text ?? "").Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // The plan catalog is the Plans module's; without it the plan is typed in.
        Plans = services.GetService<IPlanCatalog>() is { } catalog ? await catalog.ListAsync(cancellationToken) : null;
        Resellers = await resellers.ListAsync(cancellationToken);
    }
}
