using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;

namespace Studio.Modules.Tenants.Pages.Admin.Tenants;

/// <summary>Re-creates a tenant from its export file (refused when its name or a host is taken; a failure keeps nothing).</summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class ImportModel(ITenantAdministration tenants, IStringLocalizer<ImportModel> localizer) : OperatorPage
{
    [BindProperty] public IFormFile? Upload { get; set; }

    [TempData] public string? Message { get; set; }

    public void OnGet() { }

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), localizer["Choose an export file."]);
            return Page();
        }
        await using var stream = Upload.OpenReadStream();
        var tenant = await tenants.ImportAsync(Actor, stream, cancellationToken);
        Message = localizer["Tenant '{0}' is imported.", tenant.Name];
        return RedirectToPage("/Admin/Tenants/Edit", new { name = tenant.Name });
    }, () => Task.FromResult<IActionResult>(Page()), localizer);
}
