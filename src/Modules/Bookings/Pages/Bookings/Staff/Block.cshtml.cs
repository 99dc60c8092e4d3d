using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.Staff;

/// <summary>Staff blocks time on a room, an engineer or a resource (maintenance, private use…).</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class BlockModel(IBookingEngine engine, IBookingCatalog catalog, TenantTime time, IStringLocalizer<BlockModel> localizer) : PageModel
{
    [BindProperty] public DateOnly? Date { get; set; }
    [BindProperty] public TimeOnly? StartTime { get; set; }
    [BindProperty] public DateOnly? EndDate { get; set; }
    [BindProperty] public TimeOnly? EndTime { get; set; }
    [BindProperty] public string? Title { get; set; }
    /// <summary>"room:1", "engineer:2" or "resource:3".</summary>
    [BindProperty] public string? Target { get; set; }

    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public IReadOnlyList<Engineer> Engineers { get; private set; } = [];
    public IReadOnlyList<BookableResource> Resources { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Date ??= time.Today;
        EndDate ??= Date;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(Title) || Title.Length > 200)
            ModelState.AddModelError(nameof(Title), localizer["Give the block a title (at most {0} characters).", 200]);
        if (Date is null || StartTime is null || EndTime is null)
            ModelState.AddModelError(nameof(Date), localizer["Give the date, start and end times."]);
        long? room = null, engineer = null, resource = null;
        var parts = (Target ?? "").Split(':', 2);
        if (parts.Length == 2 && long.TryParse(parts[1], out var targetId))
        {
            switch (parts[0])
            {
                case "room" when Rooms.Any(r => r.Id == targetId): room = targetId; break;
                case "engineer" when Engineers.Any(e => e.Id == targetId): engineer = targetId; break;
                case "resource" when Resources.Any(r => r.Id == targetId): resource = targetId; break;
            }
        }
        if (room is null && engineer is null && resource is null)
            ModelState.AddModelError(nameof(Target), localizer["Choose what to block."]);
        if (!ModelState.IsValid)
            return Page();
        try
        {
            var gap = localizer["This time does not exist in the studio's time zone (the clocks change)."].Value;
            var start = time.ToUtc(Date!.Value.ToDateTime(StartTime!.Value), gap);
            var end = time.ToUtc((EndDate ?? Date).Value.ToDateTime(EndTime!.Value), gap);
            if (end <= start)
            {
                ModelState.AddModelError(nameof(EndTime), localizer["The end must be after the start."]);
                return Page();
            }
            var block = await engine.BlockAsync(new BlockRequest(start, end, Title!.Trim(), room, engineer, resource),
                AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
            return Redirect(Url.Content($"~/studio/bookings/{block.Id}?done=1"));
        }
        catch (Exception e) when (e is SlotTakenException or BookingValidationException or BookingStateException)
        {
            ModelState.AddModelError("", e.Message);
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Rooms = await catalog.ListRoomsAsync(false, cancellationToken);
        Engineers = await catalog.ListEngineersAsync(false, cancellationToken);
        Resources = await catalog.ListResourcesAsync(false, cancellationToken);
    }
}
