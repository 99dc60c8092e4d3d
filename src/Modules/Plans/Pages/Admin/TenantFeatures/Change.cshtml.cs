using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Plans.Services;
using Studio.Platform;

namespace Studio.Modules.Plans.Pages.Admin.TenantFeatures;

/// <summary>
/// The preview of a toggle — what else it enables or disables, what the plan forbids — and, on confirm, the
/// change itself, which applies live (the tenant's next request runs with it).
/// </summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class ChangeModel(IFeatureAdministration features, IStringLocalizer<ChangeModel> localizer) : PageModel
{
    public string Tenant { get; private set; } = "";

    [BindProperty(SupportsGet = true)] public string? Enable { get; set; }
    [BindProperty(SupportsGet = true)] public string? Disable { get; set; }

    /// <summary>The tenant's version the preview was made from (posted back): a change over a newer one is refused.</summary>
    [BindProperty] public string? Version { get; set; }

    public FeatureChangePreview? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync(string name, CancellationToken cancellationToken)
    {
        Tenant = name;
        try
        {
            Preview = await features.PreviewAsync(Actors.From(HttpContext), name, Ids(Enable), Ids(Disable), cancellationToken);
            Version = Preview.Version;
        }
        catch (PlatformForbiddenException) { return NotFound(); }
        catch (PlatformValidationException e) { AddErrors(e.Errors); }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string name, CancellationToken cancellationToken)
    {
        Tenant = name;
        var actor = Actors.From(HttpContext);
        try
        {
            await features.ChangeAsync(actor, name, Ids(Enable), Ids(Disable), confirmExtra: true, string.IsNullOrEmpty(Version) ? null : Version, cancellationToken);
        }
        catch (PlatformForbiddenException) { return NotFound(); }
        catch (Exception e) when (e is PlatformValidationException or PlatformConcurrencyException)
        {
            AddErrors(e is PlatformValidationException v ? v.Errors : [e.Message]);
            // The preview as it is now, and its version for the next confirm: the operator has seen what will happen.
            try
            {
                Preview = await features.PreviewAsync(actor, name, Ids(Enable), Ids(Disable), cancellationToken);
                Version = Preview.Version;
                ModelState.Remove(nameof(Version));
            }
            catch (PlatformValidationException) { }
            return Page();
        }
        TempData["Message"] = localizer["Features changed."].Value;
        return Redirect(PlatformPaths.TenantFeatures(name));
    }

    private void AddErrors(IEnumerable<string> errors)
    {
        foreach (var error in errors)
            ModelState.AddModelError("", error);
    }

    private static string[] Ids(string? value) => string.IsNullOrWhiteSpace(value) ? [] : [value.Trim()];
}
