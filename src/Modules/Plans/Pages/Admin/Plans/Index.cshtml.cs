using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Plans.Services;
using Studio.Platform;

namespace Studio.Modules.Plans.Pages.Admin.Plans;

/// <summary>The platform's plans: list, and delete (refused, with the tenants, while any uses it).</summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class IndexModel(IPlanCatalog plans, IStringLocalizer<IndexModel> localizer) : PageModel
{
    public IReadOnlyList<PlanDefinition> Plans { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Plans = await plans.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await plans.DeleteAsync(Actors.From(HttpContext), id, cancellationToken);
        }
        catch (Exception e) when (e is PlatformValidationException or PlatformConcurrencyException or PlatformForbiddenException)
        {
            foreach (var error in e is PlatformValidationException v ? v.Errors : [e.Message])
                ModelState.AddModelError("", error);
            Plans = await plans.ListAsync(cancellationToken);
            return Page();
        }
        Message = localizer["Plan deleted."];
        return RedirectToPage();
    }
}
