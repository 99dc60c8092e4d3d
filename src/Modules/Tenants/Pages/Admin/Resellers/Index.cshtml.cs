using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Tenants.Pages.Admin.Resellers;

/// <summary>
/// The operator's resellers: list, create, edit (id, name, quota, granted plans, default brand and theme), remove;
/// and a reseller's accounts (created with a password or invited by e-mail).
/// </summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class IndexModel(IResellerDirectory resellers, ITenantAdministration tenants, IResellerAccounts accounts, IStringLocalizer<IndexModel> localizer) : OperatorPage
{
    /// <summary>The reseller being edited (query <c>id</c>), or none for a new one.</summary>
    [BindProperty(SupportsGet = true)] public string? Id { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int TenantQuota { get; set; } = 10;
    /// <summary>Granted plan ids, separated by commas.</summary>
    [BindProperty] public string? Plans { get; set; }
    [BindProperty] public string? DefaultTheme { get; set; }
    [BindProperty] public string? BrandName { get; set; }
    [BindProperty] public string? BrandPrimaryColor { get; set; }
    [BindProperty] public string? Version { get; set; }

    /// <summary>New reseller account: address, name, and a password (empty: invite by e-mail).</summary>
    [BindProperty] public string? AccountEmail { get; set; }
    [BindProperty] public string? AccountName { get; set; }
    [BindProperty] public string? AccountPassword { get; set; }

    /// <summary>The accounts of the reseller being edited.</summary>
    public IReadOnlyList<ResellerAccount> Accounts { get; private set; } = [];

    public IReadOnlyList<ResellerInfo> All { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Owned { get; private set; } = new Dictionary<string, int>();
    public IReadOnlyList<string> Themes => tenants.Themes;
    public bool Editing => !string.IsNullOrEmpty(Version);

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is not null && await resellers.GetAsync(Id, cancellationToken) is { } r)
            (Name, TenantQuota, Plans, DefaultTheme, BrandName, BrandPrimaryColor, Version) =
                (r.Name, r.TenantQuota, string.Join(", ", r.Plans), r.DefaultTheme, r.DefaultBrand.DisplayName, r.DefaultBrand.PrimaryColor, r.Version);
        await LoadAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var saved = await resellers.SaveAsync(Actor, new ResellerInfo
        {
            Id = Id?.Trim() ?? "",
            Name = Name?.Trim() ?? "",
            TenantQuota = TenantQuota,
            Plans = (Plans ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            DefaultTheme = string.IsNullOrWhiteSpace(DefaultTheme) ? null : DefaultTheme,
            DefaultBrand = new BrandSettings { DisplayName = BrandName?.Trim() ?? "", PrimaryColor = string.IsNullOrWhiteSpace(BrandPrimaryColor) ? null : BrandPrimaryColor.Trim() },
        }, string.IsNullOrEmpty(Version) ? null : Version, cancellationToken);
        Message = localizer["Reseller '{0}' is saved.", saved.Id];
        return RedirectToPage();
    }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await resellers.DeleteAsync(Actor, Id ?? "", cancellationToken);
        Message = localizer["Reseller '{0}' is removed.", Id ?? ""];
        return RedirectToPage();
    }, async () => { await LoadAsync(cancellationToken); return Page(); }, localizer);

    /// <summary>Creates (or invites) an account of the reseller being edited; audited by the Identity feature.</summary>
    public async Task<IActionResult> OnPostAccountAsync(CancellationToken cancellationToken)
    {
        var reseller = Id is null ? null : await resellers.GetAsync(Id, cancellationToken);
        if (reseller is null)
            return NotFound();
        var error = await accounts.CreateAsync(AccountEmail ?? "", AccountName ?? "", reseller.Id,
            string.IsNullOrEmpty(AccountPassword) ? null : AccountPassword, cancellationToken);
        if (error is not null)
        {
            ModelState.AddModelError(nameof(AccountEmail), localizer[error]);
            (Name, TenantQuota, Plans, DefaultTheme, BrandName, BrandPrimaryColor, Version) =
                (reseller.Name, reseller.TenantQuota, string.Join(", ", reseller.Plans), reseller.DefaultTheme, reseller.DefaultBrand.DisplayName, reseller.DefaultBrand.PrimaryColor, reseller.Version);
            await LoadAsync(cancellationToken);
            return Page();
        }
        Message = string.IsNullOrEmpty(AccountPassword)
            ? localizer["An invitation was sent to {0}.", AccountEmail!.Trim()]
            : localizer["The account {0} can sign in now.", AccountEmail!.Trim()];
        return RedirectToPage(new { id = reseller.Id });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (Editing && Id is not null)
            Accounts = await accounts.ListAsync(Id, cancellationToken);
        All = await resellers.ListAsync(cancellationToken);
        var owned = new Dictionary<string, int>();
        foreach (var r in All)
            owned[r.Id] = (await tenants.QueryAsync(Actor, new TenantQuery { Reseller = r.Id, PageSize = 1 }, cancellationToken)).Total;
        Owned = owned;
    }
}
