using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Musicians;

/// <summary>A session musician: name, instruments, e-mail, rate.</summary>
public sealed class EditModel(IBookingCatalog catalog, IStringLocalizer<EditModel> localizer) : CatalogPage(localizer)
{
    [FromRoute] public string? Id { get; set; }
    [BindProperty] public MusicianInput Input { get; set; } = new();

    public Musician? Musician { get; private set; }
    public string Currency { get; private set; } = "EUR";

    public sealed class MusicianInput
    {
        public string? Name { get; set; }
        public string? Instruments { get; set; }
        public string? Email { get; set; }
        public string? HourlyRate { get; set; }
        public bool Archived { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (Musician is { } m)
            Input = new MusicianInput { Name = m.Name, Instruments = m.Instruments, Email = m.Email, HourlyRate = AmountText(m.HourlyRate), Archived = m.Archived };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var musician = new Musician(Musician?.Id ?? 0, Input.Name ?? "", Input.Instruments ?? "", Input.Email, Amount(Input.HourlyRate, "Input.HourlyRate"), Input.Archived);
        if (!await TryAsync(() => catalog.SaveMusicianAsync(musician, Actor, cancellationToken)))
            return Page();
        Message = localizer["The musician is saved."];
        return Redirect(Url.Content("~/admin/bookings/musicians"));
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
        if (!TryRouteId(Id, out var id))
            return false;
        if (id is null)
            return true;
        Musician = (await catalog.ListMusiciansAsync(cancellationToken)).FirstOrDefault(m => m.Id == id);
        return Musician is not null;
    }
}
