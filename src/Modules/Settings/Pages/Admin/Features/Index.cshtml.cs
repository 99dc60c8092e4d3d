using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Settings.Pages.Admin.Features;

/// <summary>
/// The features this studio may turn on or off: those its plan allows (the others are listed as "not in your
/// plan"), never the platform's own. A change that pulls in or takes away other features is shown first and
/// needs confirming. Always for the current tenant: the tenant name comes from the container, never the request.
/// </summary>
public sealed class IndexModel(IFeatureAdministration features, TenantContext tenant, IStringLocalizer<IndexModel> localizer) : PageModel
{
    public IReadOnlyList<FeatureInfo> Features { get; private set; } = [];

    /// <summary>The change waiting for confirmation, when it affects other features.</summary>
    public FeatureChangePreview? Pending { get; private set; }

    [BindProperty] public string? FeatureId { get; set; }
    [BindProperty] public bool Enable { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    /// <summary>The tenant's version the posted form was made from: a change over a newer one is refused.</summary>
    [BindProperty] public string? Version { get; set; }

    /// <summary>The version of the features shown now, for the page's forms.</summary>
    public string CurrentVersion { get; private set; } = "";

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var feature = Features.FirstOrDefault(f => f.Id == FeatureId);
        if (feature is null || feature.AlwaysEnabled)
        {
            ModelState.AddModelError("", localizer["This feature cannot be changed here."]);
            return Page();
        }
        IReadOnlyCollection<string> enable = Enable ? [feature.Id] : [];
        IReadOnlyCollection<string> disable = Enable ? [] : [feature.Id];
        try
        {
            var preview = await features.PreviewAsync(Actor(), tenant.Name, enable, disable, cancellationToken);
            if (preview.NotAllowed.Count > 0)
            {
                ModelState.AddModelError("", localizer["Your plan does not include {0}.", string.Join(", ", preview.NotAllowed.Select(NameOf))]);
                return Page();
            }
            if (preview.Extra.Count > 0 && !Confirm)
            {
                Pending = preview;
                return Page();
            }
            await features.ChangeAsync(Actor(), tenant.Name, enable, disable, confirmExtra: true, Version, cancellationToken);
        }
        catch (PlatformValidationException e)
        {
            foreach (var error in e.Errors)
                ModelState.AddModelError("", error);
            return Page();
        }
        catch (PlatformConcurrencyException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        Message = Enable ? localizer["{0} is on.", NameOf(feature.Id)] : localizer["{0} is off.", NameOf(feature.Id)];
        return RedirectToPage();
    }

    /// <summary>A feature's display name from its id, translated (the names are the manifests' English text).</summary>
    public string NameOf(string id) => Features.FirstOrDefault(f => f.Id == id) is { Name.Length: > 0 } feature ? localizer[feature.Name] : id;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var state = await features.GetAsync(Actor(), tenant.Name, cancellationToken);
        Features = state.Features.Where(f => !f.DefaultTenantOnly).ToList();
        CurrentVersion = state.Version;
    }

    private PlatformActor Actor() => new(
        User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        User.Identity?.Name ?? "unknown",
        null,
        HttpContext.Connection.RemoteIpAddress?.ToString(),
        Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
