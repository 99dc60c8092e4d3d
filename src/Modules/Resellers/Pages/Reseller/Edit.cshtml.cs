using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Resellers.Pages.Reseller;

/// <summary>
/// One of the reseller's tenants: its display name, brand (name, colours) and theme. Another reseller's tenant is a
/// 404, exactly like a name that does not exist.
/// </summary>
public sealed class EditModel(ITenantAdministration tenants, IStringLocalizer<EditModel> localizer) : ResellerPage
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? BrandName { get; set; }
    [BindProperty] public string? PrimaryColor { get; set; }
    [BindProperty] public string? AccentColor { get; set; }
    [BindProperty] public string? Theme { get; set; }

    public TenantInfo? Tenant { get; private set; }
    public IReadOnlyList<string> Themes => tenants.Themes;

    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        (Version, DisplayName, BrandName, PrimaryColor, AccentColor, Theme) =
            (Tenant!.Version, Tenant.DisplayName, Tenant.Brand.DisplayName, Tenant.Brand.PrimaryColor, Tenant.Brand.AccentColor, Tenant.Theme);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        return await RunAsync(async () =>
        {
            await tenants.UpdateAsync(Actor, Name, Version ?? "", new TenantEdit
            {
                DisplayName = DisplayName ?? "",
                Theme = Theme ?? "",
                // Only the brand's name and colours are the reseller's to set here; the rest is kept.
                Brand = Tenant!.Brand with
                {
                    DisplayName = BrandName?.Trim() ?? "",
                    PrimaryColor = string.IsNullOrWhiteSpace(PrimaryColor) ? null : PrimaryColor.Trim(),
                    AccentColor = string.IsNullOrWhiteSpace(AccentColor) ? null : AccentColor.Trim(),
                },
            }, cancellationToken);
            Message = localizer["Tenant '{0}' is saved.", Name];
            return RedirectToPage(new { name = Name });
        }, () => Task.FromResult<IActionResult>(Page()), localizer);
    }

    /// <summary>Loads the tenant when it is the reseller's; false for an unknown name or another reseller's.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        try { Tenant = await tenants.GetAsync(Actor, Name, cancellationToken); }
        catch (PlatformForbiddenException) { Tenant = null; }
        return Tenant is not null;
    }
}
