using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Modules.Resellers.Pages.Reseller;

/// <summary>
/// A reseller creates a tenant: within its quota (the host checks it under the reseller's lock) and with one of
/// its granted plans (the form offers only those; anything else posted is refused with a message). The new tenant
/// starts with the reseller's default brand and theme.
/// </summary>
public sealed class CreateModel(ITenantAdministration tenants, IResellerDirectory resellers, IStringLocalizer<CreateModel> localizer) : ResellerPage
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    /// <summary>Host names, one per line or separated by commas.</summary>
    [BindProperty] public string? Hosts { get; set; }
    [BindProperty] public string? Plan { get; set; }

    public ResellerInfo? Reseller { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Reseller = await resellers.GetAsync(ResellerId, cancellationToken);
        return Reseller is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Reseller = await resellers.GetAsync(ResellerId, cancellationToken);
        if (Reseller is null)
            return NotFound();
        // The form offers only the granted plans; a tampered one is a message, and nothing is created.
        if (string.IsNullOrWhiteSpace(Plan) || !Reseller.Plans.Contains(Plan.Trim(), StringComparer.Ordinal))
        {
            ModelState.AddModelError(nameof(Plan), localizer["Choose one of your plans: {0}.", string.Join(", ", Reseller.Plans)]);
            return Page();
        }
        return await RunAsync(async () =>
        {
            var created = await tenants.CreateAsync(Actor, new TenantDraft
            {
                Name = Name?.Trim() ?? "",
                DisplayName = DisplayName,
                Hosts = SplitHosts(Hosts),
                Recipe = "blank-studio",
                Plan = Plan.Trim(),
                // Owner, brand and theme: the host takes them from the actor's reseller record.
            }, cancellationToken);
            TempData["Message"] = localizer["Tenant '{0}' is created.", created.Name].Value;
            return RedirectToPage("/Reseller/Index", new { q = created.Name });
        }, () => Task.FromResult<IActionResult>(Page()), localizer);
    }
}
