using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Media;
using Studio.Platform;

namespace Studio.Modules.Tenants.Pages.Admin.Tenants;

/// <summary>
/// Edits a tenant's record (version-checked: a save over someone else's newer edit is refused), including its brand:
/// name, colours, and logo and favicon uploads — checked like the owner's own upload (<see cref="MediaInspector"/>)
/// and stored in the tenant's own database (<see cref="ITenantBrandMedia"/>).
/// </summary>
[Authorize(Policy = StudioPolicies.Operator)]
[RequestFormLimits(MultipartBodyLengthLimit = 2 * 1024 * 1024)]
public sealed class EditModel(ITenantAdministration tenants, IResellerDirectory resellers, ITenantBrandMedia brandMedia, IServiceProvider services,
    IStringLocalizer<EditModel> localizer) : OperatorPage
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Hosts { get; set; }
    [BindProperty] public string? PrimaryHost { get; set; }
    [BindProperty] public string? Prefix { get; set; }
    [BindProperty] public string? Theme { get; set; }
    [BindProperty] public string? Culture { get; set; }
    [BindProperty] public string? TimeZone { get; set; }
    [BindProperty] public string? Plan { get; set; }
    [BindProperty] public string? Reseller { get; set; }
    [BindProperty] public string Version { get; set; } = "";
    [BindProperty] public string? BrandName { get; set; }
    [BindProperty] public string? PrimaryColor { get; set; }
    [BindProperty] public string? AccentColor { get; set; }
    [BindProperty] public IFormFile? Logo { get; set; }
    [BindProperty] public IFormFile? Favicon { get; set; }
    [BindProperty] public bool RemoveLogo { get; set; }
    [BindProperty] public bool RemoveFavicon { get; set; }

    public TenantInfo? Tenant { get; private set; }
    public IReadOnlyList<string> Themes => tenants.Themes;
    public IReadOnlyList<PlanDefinition>? Plans { get; private set; }
    public IReadOnlyList<ResellerInfo> Resellers { get; private set; } = [];

    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var t = Tenant!;
        (DisplayName, Hosts, PrimaryHost, Prefix, Theme, Culture, TimeZone, Plan, Reseller, Version) =
            (t.DisplayName, string.Join("\n", t.Hosts), t.PrimaryHost, t.Prefix, t.Theme, t.Culture, t.TimeZone, t.Plan, t.Reseller, t.Version);
        (BrandName, PrimaryColor, AccentColor) = (t.Brand.DisplayName, t.Brand.PrimaryColor, t.Brand.AccentColor);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Files are checked before anything is stored; a refused file saves nothing at all.
        var logo = await ReadAsync(Logo, MediaKind.Logo, cancellationToken);
        var favicon = await ReadAsync(Favicon, MediaKind.Favicon, cancellationToken);
        if (!ModelState.IsValid)
        {
            if (!await LoadAsync(cancellationToken))
                return NotFound();
            return Page();
        }
        return await SaveAsync(logo, favicon, cancellationToken);
    }

    private Task<IActionResult> SaveAsync(byte[]? logo, byte[]? favicon, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var brand = Tenant!.Brand with
        {
            DisplayName = BrandName?.Trim() ?? "",
            PrimaryColor = string.IsNullOrWhiteSpace(PrimaryColor) ? null : PrimaryColor.Trim(),
            AccentColor = string.IsNullOrWhiteSpace(AccentColor) ? null : AccentColor.Trim(),
        };
        if (RemoveLogo)
            brand = brand with { LogoUrl = null };
        if (RemoveFavicon)
            brand = brand with { FaviconUrl = null };
        if (logo is not null)
            brand = brand with { LogoUrl = await brandMedia.StoreAsync(Actor, Name, MediaKind.Logo, logo, cancellationToken) };
        if (favicon is not null)
            brand = brand with { FaviconUrl = await brandMedia.StoreAsync(Actor, Name, MediaKind.Favicon, favicon, cancellationToken) };
        await tenants.UpdateAsync(Actor, Name, Version, new TenantEdit
        {
            Brand = brand,
            DisplayName = DisplayName ?? "",
            Hosts = CreateModel.SplitHosts(Hosts),
            PrimaryHost = PrimaryHost ?? "",
            Prefix = Prefix ?? "",
            Theme = Theme ?? "",
            Culture = string.IsNullOrWhiteSpace(Culture) ? null : Culture.Trim(),
            TimeZone = string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone.Trim(),
            Plan = Plan ?? "",
            Reseller = Reseller ?? "",
        }, cancellationToken);
        // Files no longer in use go (an earlier logo, or one uploaded with a save that was refused).
        await brandMedia.PruneAsync(Actor, Name, cancellationToken);
        Message = localizer["Tenant '{0}' is saved.", Name];
        return RedirectToPage("/Admin/Tenants/Edit", new { name = Name });
    }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);

    /// <summary>The upload's bytes when <see cref="MediaInspector"/> accepts them; otherwise a model error saying why.</summary>
    private async Task<byte[]?> ReadAsync(IFormFile? file, MediaKind kind, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
            return null;
        byte[] bytes;
        await using (var stream = file.OpenReadStream())
            bytes = await MediaInspector.ReadBoundedAsync(stream, kind, cancellationToken);
        var (_, refusal) = MediaInspector.Inspect(bytes, kind);
        if (refusal is null)
            return bytes;
        var label = kind == MediaKind.Logo ? localizer["Logo"] : localizer["Favicon"];
        ModelState.AddModelError(kind == MediaKind.Logo ? nameof(Logo) : nameof(Favicon), localizer["{0}: {1}", label, localizer[refusal.Message, refusal.Arguments]]);
        return null;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Tenant = await tenants.GetAsync(Actor, Name, cancellationToken);
        Plans = services.GetService<IPlanCatalog>() is { } catalog ? await catalog.ListAsync(cancellationToken) : null;
        Resellers = await resellers.ListAsync(cancellationToken);
        return Tenant is not null;
    }
}
