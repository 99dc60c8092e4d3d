using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Resellers.Pages.Reseller;

/// <summary>
/// The reseller's own default brand and theme (what its new tenants start with). The record edited is always the
/// one of the account's reseller claim: no id is read from the form, and the directory keeps every other field.
/// </summary>
public sealed class BrandModel(IResellerDirectory resellers, ITenantAdministration tenants, IStringLocalizer<BrandModel> localizer) : ResellerPage
{
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public string? BrandName { get; set; }
    [BindProperty] public string? PrimaryColor { get; set; }
    [BindProperty] public string? AccentColor { get; set; }
    [BindProperty] public string? DefaultTheme { get; set; }

    public IReadOnlyList<string> Themes => tenants.Themes;

    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await resellers.GetAsync(ResellerId, cancellationToken) is not { } own)
            return NotFound();
        (Version, BrandName, PrimaryColor, AccentColor, DefaultTheme) =
            (own.Version, own.DefaultBrand.DisplayName, own.DefaultBrand.PrimaryColor, own.DefaultBrand.AccentColor, own.DefaultTheme);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await resellers.GetAsync(ResellerId, cancellationToken) is not { } own)
            return NotFound();
        return await RunAsync(async () =>
        {
            await resellers.SaveAsync(Actor, own with
            {
                DefaultBrand = own.DefaultBrand with
                {
                    DisplayName = BrandName?.Trim() ?? "",
                    PrimaryColor = string.IsNullOrWhiteSpace(PrimaryColor) ? null : PrimaryColor.Trim(),
                    AccentColor = string.IsNullOrWhiteSpace(AccentColor) ? null : AccentColor.Trim(),
                },
                DefaultTheme = string.IsNullOrWhiteSpace(DefaultTheme) ? null : DefaultTheme,
            }, Version, cancellationToken);
            Message = localizer["Your default brand is saved."];
            return RedirectToPage();
        }, () => Task.FromResult<IActionResult>(Page()), localizer);
    }
}
