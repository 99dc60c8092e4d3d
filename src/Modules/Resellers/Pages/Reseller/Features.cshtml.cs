using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Modules.Resellers.Pages.Reseller;

/// <summary>
/// The features of one of the reseller's tenants, toggled within the tenant's plan (IFeatureAdministration refuses
/// what the plan does not allow and another reseller's tenant). A toggle applies with its dependencies or dependents,
/// and the page says what else changed.
/// </summary>
public sealed class FeaturesModel(IFeatureAdministration features, IStringLocalizer<FeaturesModel> localizer) : ResellerPage
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";

    /// <summary>The tenant's features, without the platform-only ones.</summary>
    public IReadOnlyList<FeatureInfo> Features { get; private set; } = [];

    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string feature, bool enable, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        string[] enabling = enable ? [feature] : [], disabling = enable ? [] : [feature];
        return await RunAsync(async () =>
        {
            var preview = await features.PreviewAsync(Actor, Name, enabling, disabling, cancellationToken);
            if (preview.NotAllowed.Count > 0)
            {
                ModelState.AddModelError("", localizer["The tenant's plan does not allow: {0}.", string.Join(", ", preview.NotAllowed)]);
                return Page();
            }
            await features.ChangeAsync(Actor, Name, enabling, disabling, confirmExtra: true, cancellationToken);
            Message = preview.Extra.Count == 0
                ? localizer["Features changed."]
                : localizer["Features changed; also changed: {0}.", string.Join(", ", preview.Extra)];
            return RedirectToPage(new { name = Name });
        }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Features = (await features.ListAsync(Actor, Name, cancellationToken)).Where(f => !f.DefaultTenantOnly).ToList();
            return true;
        }
        catch (PlatformForbiddenException) { return false; }
        catch (PlatformValidationException) { return false; }
    }
}
