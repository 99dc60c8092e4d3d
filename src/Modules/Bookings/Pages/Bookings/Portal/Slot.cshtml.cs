using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;
using Studio.Security;

namespace Studio.Modules.Bookings.Pages.Bookings.Portal;

/// <summary>
/// A chosen slot: its price and terms; anonymous visitors are asked to sign in or sign up (coming back here),
/// a signed-in account holds the slot (then confirms it on its booking page). Rate-limited per tenant and IP.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimitPolicies.PublicBooking)]
public sealed class SlotModel(IBookingCatalog catalog, SlotFinder finder, IBookingEngine engine, PortalClients portalClients, PortalHolds holds,
    IStringLocalizer<SlotModel> localizer) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "start")] public string? Start { get; set; }
    [BindProperty(SupportsGet = true, Name = "room")] public long? Room { get; set; }
    [BindProperty(SupportsGet = true, Name = "engineer")] public long? Engineer { get; set; }
    [BindProperty(SupportsGet = true, Name = "units")] public int? Units { get; set; }

    public StudioService Service { get; private set; } = new();
    public Slot? Slot { get; private set; }
    public string? RoomName { get; private set; }
    public string? EngineerName { get; private set; }
    public bool SignedIn => User.Identity?.IsAuthenticated == true;


    public async Task<IActionResult> OnGetAsync(long serviceId, CancellationToken cancellationToken) =>
        await LoadAsync(serviceId, cancellationToken) ? Page() : NotFound();

    /// <summary>
    /// Holds the slot. A signed-in account holds it for its client record and goes on to confirm; a visitor holds it
    /// anonymously (remembered in this browser) and signs in or signs up, coming back to take it over.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(long serviceId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(serviceId, cancellationToken))
            return NotFound();
        if (Slot is null)
            return Page();
        try
        {
            var client = SignedIn ? await portalClients.EnsureAsync(User, cancellationToken) : null;
            var booking = await engine.HoldAsync(new BookingRequest
            {
                ServiceId = Service.Id, StartUtc = Slot.StartUtc, Units = Units, RoomId = Slot.RoomId, EngineerId = Slot.EngineerId,
                ClientId = client?.Id,
            }, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
            if (client is not null)
                return Redirect(Url.Content($"~/my/bookings/{booking.Id}"));
            holds.Remember(HttpContext, booking.Id, booking.HoldExpiresUtc ?? booking.StartUtc);
            return Redirect(Url.Content($"~/book/hold/{booking.Id}"));
        }
        catch (SlotTakenException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (BookingValidationException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        catch (BookingStateException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        Slot = null;
        return Page();
    }

    private async Task<bool> LoadAsync(long serviceId, CancellationToken cancellationToken)
    {
        var service = await catalog.GetServiceAsync(serviceId, cancellationToken);
        if (service is null || !service.Public || service.Archived)
            return false;
        Service = service;
        if (service.DurationKind == DurationKinds.Fixed)
            Units = null;
        if (TenantTime.FromToken(Start) is not { } start)
        {
            ModelState.AddModelError("", localizer["This time is not valid. Please choose one from the list."]);
            return true;
        }
        if (Units is { } units && (units < service.MinUnits || units > service.MaxUnits))
        {
            ModelState.AddModelError("", localizer["This length is not offered for this service."]);
            return true;
        }
        try
        {
            Slot = await finder.FindOneAsync(service, start, Room, Engineer, Units, cancellationToken);
        }
        catch (BookingValidationException e)
        {
            ModelState.AddModelError("", e.Message);
            return true;
        }
        if (Slot is null)
        {
            ModelState.AddModelError("", localizer["This time is no longer free. Please choose another one."]);
            return true;
        }
        if (Slot.RoomId is { } roomId)
            RoomName = (await catalog.GetRoomAsync(roomId, cancellationToken))?.Name;
        if (Slot.EngineerId is { } engineerId)
            EngineerName = (await catalog.GetEngineerAsync(engineerId, cancellationToken))?.DisplayName;
        return true;
    }
}
