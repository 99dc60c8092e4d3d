using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.Staff;

/// <summary>One booking for staff: details, history, and confirm / reschedule / cancel / complete / no-show.</summary>
[Authorize(Policy = StudioPolicies.Staff)]
public sealed class BookingModel(IBookingEngine engine, IBookingCatalog catalog, IClientDirectory clients, TenantTime time,
    IStringLocalizer<BookingModel> localizer) : PageModel
{
    [BindProperty(Name = "date")] public DateOnly? NewDate { get; set; }
    [BindProperty(Name = "time")] public TimeOnly? NewTime { get; set; }
    [BindProperty(Name = "room")] public long? NewRoom { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    public Booking Booking { get; private set; } = new();
    public Client? Client { get; private set; }
    public string? ServiceName { get; private set; }
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public IReadOnlyList<BookingHistoryEntry> History { get; private set; } = [];
    public decimal CancellationFee { get; private set; }
    public string? Message { get; private set; }

    public bool IsOpen => Booking.Status is BookingStatuses.Held or BookingStatuses.Confirmed or BookingStatuses.Blocked;

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Message = done is null ? null : localizer["Saved."].Value;
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, () => engine.ConfirmAsync(id, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCompleteAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, () => engine.CompleteAsync(id, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostNoShowAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, () => engine.MarkNoShowAsync(id, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(long id, CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim()[..Math.Min(Reason.Trim().Length, 500)];
        return ActAsync(id, () => engine.CancelAsync(id, reason, Actor, byClient: false, cancellationToken), cancellationToken);
    }

    public async Task<IActionResult> OnPostRescheduleAsync(long id, CancellationToken cancellationToken)
    {
        if (NewDate is null || NewTime is null)
        {
            ModelState.AddModelError("date", localizer["Give the new date and start time."]);
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }
        return await ActAsync(id, () =>
        {
            var start = time.ToUtc(NewDate.Value.ToDateTime(NewTime.Value), localizer["This time does not exist in the studio's time zone (the clocks change)."]);
            return engine.RescheduleAsync(id, start, NewRoom, Actor, byClient: false, cancellationToken);
        }, cancellationToken);
    }

    private AuditActor Actor => AuditActor.FromPrincipal(User, AuditActor.Anonymous);

    private async Task<IActionResult> ActAsync(long id, Func<Task<Booking>> action, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        try
        {
            await action();
            return Redirect(Url.Content($"~/studio/bookings/{id}?done=1"));
        }
        catch (Exception e) when (e is SlotTakenException or BookingValidationException or BookingStateException)
        {
            if (e is BookingStateException { NotFound: true })
                return NotFound();
            ModelState.AddModelError("", e.Message);
        }
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await engine.GetAsync(id, cancellationToken) is not { } booking)
            return false;
        Booking = booking;
        Client = booking.ClientId is { } clientId ? await clients.GetAsync(clientId, cancellationToken) : null;
        ServiceName = booking.ServiceId is { } serviceId ? (await catalog.GetServiceAsync(serviceId, cancellationToken))?.Name : null;
        Rooms = await catalog.ListRoomsAsync(false, cancellationToken);
        History = await engine.HistoryAsync(id, cancellationToken);
        if (booking.Status == BookingStatuses.Confirmed)
            CancellationFee = await engine.CancellationFeeAsync(id, cancellationToken);
        var local = time.ToLocal(booking.StartUtc);
        NewDate ??= DateOnly.FromDateTime(local);
        NewTime ??= TimeOnly.FromDateTime(local);
        NewRoom ??= booking.RoomId;
        return true;
    }
}
