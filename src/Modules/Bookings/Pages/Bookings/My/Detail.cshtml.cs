using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.My;

/// <summary>
/// One of the client's bookings: confirm a hold; cancel (showing the fee the policy gives now) or move a confirmed
/// session to another free time of the same length. Another client's booking is a 404.
/// </summary>
[Authorize]
public sealed class DetailModel(PortalClients portalClients, IBookingEngine engine, IBookingCatalog catalog, SlotFinder finder,
    TenantTime time, IStringLocalizer<DetailModel> localizer) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true, Name = "to")] public DateOnly? To { get; set; }
    [BindProperty(Name = "start")] public string? NewStart { get; set; }
    [BindProperty(Name = "room")] public long? NewRoom { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    public Booking Booking { get; private set; } = new();
    public StudioService? Service { get; private set; }
    public string? RoomName { get; private set; }
    public decimal CancellationFee { get; private set; }
    public bool CanChange { get; private set; }
    /// <summary>Clients may move a session online only while cancelling it would still be free (the engine's rule).</summary>
    public bool CanMove { get; private set; }
    public bool Searched { get; private set; }
    public IReadOnlyList<SlotDay> Days { get; private set; } = [];
    public IReadOnlyDictionary<long, string> Rooms { get; private set; } = new Dictionary<long, string>();
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Message = done switch
        {
            "confirmed" => localizer["Your booking is confirmed. We sent you an e-mail with the details."].Value,
            "cancelled" => localizer["Your booking is cancelled."].Value,
            "moved" => localizer["Your booking has moved to its new time."].Value,
            _ => null,
        };
        if (CanMove && (From is not null || To is not null))
            await SearchAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostConfirmAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, "confirmed", () => engine.ConfirmAsync(id, Actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(long id, CancellationToken cancellationToken)
    {
        if (Reason is { Length: > 500 })
            Reason = Reason[..500];
        return ActAsync(id, "cancelled", () => engine.CancelAsync(id, string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), Actor, byClient: true, cancellationToken), cancellationToken);
    }

    public Task<IActionResult> OnPostRescheduleAsync(long id, CancellationToken cancellationToken)
    {
        if (TenantTime.FromToken(NewStart) is not { } start)
        {
            ModelState.AddModelError("", localizer["This time is not valid. Please choose one from the list."]);
            return ReloadAsync(id, cancellationToken);
        }
        return ActAsync(id, "moved", () => engine.RescheduleAsync(id, start, NewRoom, Actor, byClient: true, cancellationToken), cancellationToken);
    }

    private AuditActor Actor => AuditActor.FromPrincipal(User, AuditActor.Anonymous);

    private async Task<IActionResult> ActAsync(long id, string done, Func<Task<Booking>> action, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        try
        {
            await action();
            return Redirect(Url.Content($"~/my/bookings/{id}?done={done}"));
        }
        catch (Exception e) when (e is SlotTakenException or BookingValidationException or BookingStateException)
        {
            ModelState.AddModelError("", e.Message);
        }
        return await ReloadAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ReloadAsync(long id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var client = await portalClients.FindAsync(User, cancellationToken);
        var booking = client is null ? null : await engine.GetAsync(id, cancellationToken);
        if (booking is null || booking.ClientId != client!.Id)
            return false;
        Booking = booking;
        Service = booking.ServiceId is { } serviceId ? await catalog.GetServiceAsync(serviceId, cancellationToken) : null;
        Rooms = (await catalog.ListRoomsAsync(true, cancellationToken)).ToDictionary(r => r.Id, r => r.Name);
        RoomName = booking.RoomId is { } roomId && Rooms.TryGetValue(roomId, out var name) ? name : null;
        CanChange = BookingLabels.ClientCanChange(booking, time.UtcNow);
        CanMove = CanChange && booking.StartUtc.AddHours(-booking.FreeCancelHours) > time.UtcNow;
        if (CanChange)
            CancellationFee = await engine.CancellationFeeAsync(id, cancellationToken);
        return true;
    }

    /// <summary>Free times for the same service and length, to move the session to.</summary>
    private async Task SearchAsync(CancellationToken cancellationToken)
    {
        if (Service is null)
            return;
        var policy = await catalog.GetPolicyAsync(cancellationToken);
        var search = new SlotSearch { From = From, To = To, Units = UnitsOf(Booking, Service) };
        foreach (var (field, message) in finder.Normalize(search, Service, policy, staff: false))
            ModelState.AddModelError(field.ToLowerInvariant(), message);
        (From, To) = (search.From, search.To);
        if (!ModelState.IsValid)
            return;
        try
        {
            Days = await finder.FindAsync(Service, search, cancellationToken);
            Searched = true;
        }
        catch (BookingValidationException e)
        {
            ModelState.AddModelError(e.Field ?? "", e.Message);
        }
    }

    /// <summary>The booking's length in the service's units (hours or blocks); null for a fixed-length service.</summary>
    public static int? UnitsOf(Booking booking, StudioService service)
    {
        var minutes = (int)Math.Round((booking.EndUtc - booking.StartUtc).TotalMinutes);
        return service.DurationKind switch
        {
            DurationKinds.Hourly => Math.Max(1, minutes / 60),
            DurationKinds.Blocks when service.DurationMinutes > 0 => Math.Max(1, minutes / service.DurationMinutes),
            _ => null,
        };
    }
}
