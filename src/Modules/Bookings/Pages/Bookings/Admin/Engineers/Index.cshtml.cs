using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Engineers;

/// <summary>Bookable engineers: staff accounts with the engineer role, picked here (invite them under Staff first).</summary>
public sealed class IndexModel(IBookingCatalog catalog, UserManager<StudioUser> users, IStringLocalizer<IndexModel> localizer) : CatalogPage(localizer)
{
    public IReadOnlyList<Engineer> Engineers { get; private set; } = [];
    /// <summary>Accounts with the engineer role not yet bookable.</summary>
    public IReadOnlyList<StudioUser> Candidates { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    [BindProperty] public string? UserId { get; set; }
    [BindProperty] public string? HourlyRate { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        var engineer = new Engineer { UserId = UserId ?? "", HourlyRate = Amount(HourlyRate, nameof(HourlyRate)) };
        Engineer saved = engineer;
        if (!await TryAsync(async () => saved = await catalog.SaveEngineerAsync(engineer, Actor, cancellationToken), ""))
            return Page();
        Message = localizer["{0} is bookable now. Set the working hours.", saved.DisplayName];
        return Redirect(Url.Content($"~/admin/bookings/engineers/{saved.Id}"));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Engineers = await catalog.ListEngineersAsync(includeInactive: true, cancellationToken);
        var taken = Engineers.Select(e => e.UserId).ToHashSet();
        Candidates = (await users.GetUsersInRoleAsync(StudioRoles.Engineer)).Where(u => !taken.Contains(u.Id))
            .OrderBy(u => u.DisplayName ?? u.Email, StringComparer.CurrentCultureIgnoreCase).ToList();
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
    }
}
