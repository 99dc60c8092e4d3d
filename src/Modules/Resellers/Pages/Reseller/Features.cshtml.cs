using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Modules.Resellers.Pages.Reseller;

/// <summary>
/// The features of one of the reseller's tenants, toggled within the tenant's plan (IFeatureAdministration refuses
/// what the plan does not allow and another reseller's tenant). A toggle that would also change other features
/// (dependencies or dependents) is shown first and applies only once confirmed, as on the owner's and the
/// operator's pages; the page then says what else changed.
/// </summary>
public sealed class FeaturesModel(IFeatureAdministration features, IStringLocalizer<FeaturesModel> localizer) : ResellerPage
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";

    /// <summary>The tenant's features, without the platform-only ones.</summary>
    public IReadOnlyList<FeatureInfo> Features { get; private set; } = [];

    [TempData] public string? Message { get; set; }

    /// <summary>The change waiting for confirmation, when it affects other features.</summary>
    public FeatureChangePreview? Pending { get; private set; }

    /// <summary>The feature of the pending change.</summary>
    public string? PendingFeature { get; private set; }

    /// <summary>Whether the pending change turns its feature on.</summary>
    public bool PendingEnable { get; private set; }

    /// <summary>The tenant's version the posted form was made from: a change over a newer one is refused.</summary>
    public string? PendingVersion { get; private set; }

    /// <summary>The version of the features shown now, for the page's forms.</summary>
    public string CurrentVersion { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// Toggles <paramref name="feature"/>; a change that affects other features is shown first and applies only when
    /// posted again with <paramref name="confirm"/> (the reseller has seen the list). <paramref name="version"/> is the
    /// tenant's version the form was made from: the change is refused when the tenant has changed since.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(string feature, bool enable, bool confirm, string? version, CancellationToken cancellationToken)
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
            if (preview.Extra.Count > 0 && !confirm)
            {
                (Pending, PendingFeature, PendingEnable, PendingVersion) = (preview, feature, enable, version);
                return Page();
            }
            // Not confirmed: refused (with the list) if the change has grown extra features since the preview.
            await features.ChangeAsync(Actor, Name, enabling, disabling, confirmExtra: confirm, string.IsNullOrEmpty(version) ? null : version, cancellationToken);
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
            var state = await features.GetAsync(Actor, Name, cancellationToken);
            Features = state.Features.Where(f => !f.DefaultTenantOnly).ToList();
            CurrentVersion = state.Version;
            return true;
        }
        catch (PlatformForbiddenException) { return false; }
        catch (PlatformValidationException) { return false; }
    }
}
