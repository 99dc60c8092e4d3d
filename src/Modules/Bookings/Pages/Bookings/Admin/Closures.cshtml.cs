using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin;

/// <summary>Exceptions to the opening hours: closed days or special hours, for the whole studio or one room.</summary>
public sealed class ClosuresModel(IBookingCatalog catalog, TenantContext tenant, TimeProvider clock, IStringLocalizer<ClosuresModel> localizer) : CatalogPage(localizer)
{
    [BindProperty] public ClosureInput Input { get; set; } = new();

    public IReadOnlyList<Closure> Closures { get; private set; } = [];
    public IReadOnlyList<Room> Rooms { get; private set; } = [];

    public sealed class ClosureInput
    {
        public long? RoomId { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public string? Open { get; set; }
        public string? Close { get; set; }
        public string? Label { get; set; }
    }

    /// <summary>Today in the studio's time zone.</summary>
    private DateOnly Today
    {
        get
        {
            var zone = Studio.Modules.Bookings.Services.Engine.LocalTime.Zone(tenant.TimeZone);
            return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
        }
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Input.From is null)
            ModelState.AddModelError("Input.From", localizer["Enter the first day."]);
        var open = Minute(Input.Open, "Input.Open");
        var close = Minute(Input.Close, "Input.Close", close: true);
        var closure = new Closure(0, Input.RoomId, Input.From ?? default, Input.To ?? Input.From ?? default, open, close, Input.Label ?? "");
        if (!await TryAsync(() => catalog.SaveClosureAsync(closure, Actor, cancellationToken)))
            return Page();
        Message = localizer["The closure is added."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long closureId, CancellationToken cancellationToken)
    {
        await catalog.DeleteClosureAsync(closureId, Actor, cancellationToken);
        Message = localizer["The closure is deleted."];
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var today = Today;
        Closures = await catalog.ListClosuresAsync(null, today.AddDays(-31), today.AddYears(3), cancellationToken);
        Rooms = await catalog.ListRoomsAsync(includeArchived: true, cancellationToken);
    }

    public string RoomName(long? id) => id is null ? localizer["Whole studio"] : Rooms.FirstOrDefault(r => r.Id == id)?.Name ?? "#" + id;

    public static string DateText(DateOnly date) => date.ToString("D", CultureInfo.CurrentCulture);
}
