using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Identity;
using Studio.Modules.Plans.Services;
using Studio.Platform;

namespace Studio.Modules.Plans.Pages.Admin.TenantFeatures;

/// <summary>A tenant's features by category, with their state, dependencies, dependents and what its plan allows; toggles lead to a preview.</summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class IndexModel(IFeatureAdministration features) : PageModel
{
    public string Tenant { get; private set; } = "";

    public IReadOnlyList<FeatureInfo> Features { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken cancellationToken)
    {
        try { Features = await features.ListAsync(Actors.From(HttpContext), name, cancellationToken); }
        catch (PlatformForbiddenException) { return NotFound(); }
        Tenant = name;
        return Page();
    }

    /// <summary>The preview page of toggling one feature.</summary>
    public static string ChangeLink(string tenant, string feature, bool enable) =>
        $"{PlatformPaths.TenantFeatures(tenant)}/change?{(enable ? "enable" : "disable")}={Uri.EscapeDataString(feature)}";
}
