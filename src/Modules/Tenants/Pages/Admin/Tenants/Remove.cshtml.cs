using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;

namespace Studio.Modules.Tenants.Pages.Admin.Tenants;

/// <summary>
/// Removes a disabled tenant once the operator has typed its name; its full export is written first and the page
/// says where.
/// </summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class RemoveModel(ITenantAdministration tenants, IStringLocalizer<RemoveModel> localizer) : OperatorPage
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty] public string? Confirmation { get; set; }

    public TenantInfo? Tenant { get; private set; }
    /// <summary>Set once removed: where the export was written.</summary>
    public string? ExportPath { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Tenant = await tenants.GetAsync(Actor, Name, cancellationToken);
        return Tenant is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        Tenant = await tenants.GetAsync(Actor, Name, cancellationToken);
        if (Tenant is null)
            return NotFound();
        ExportPath = await tenants.RemoveAsync(Actor, Name, Confirmation ?? "", cancellationToken);
        return Page();
    }, () => Task.FromResult<IActionResult>(Tenant is null ? NotFound() : Page()), localizer);
}
