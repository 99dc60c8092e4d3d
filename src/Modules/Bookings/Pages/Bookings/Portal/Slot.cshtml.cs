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
public sealed class SlotModel(IBookingCatalog catalog, SlotFinder finder, IBookingEngine engine, PortalClients portalClients,
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

    /// <summary>This page's own URL (with PathBase), to come back to after signing in.</summary>
    public string ReturnUrl => Request.PathBase + Request.Path + Request.QueryString;

    public async Task<IActionResult> OnGetAsync(long serviceId, CancellationToken cancellationToken) =>
        await LoadAsync(serviceId, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long serviceId, CancellationToken cancellationToken)
    {
        if (!SignedIn)
            return Challenge();
        if (!await LoadAsync(serviceId, cancellationToken))
            return NotFound();
        if (Slot is null)
            return Page();
        try
        {
            var client = await portalClients.EnsureAsync(User, cancellationToken);
            if (client is null)
                return Challenge();
            var booking = await engine.HoldAsync(new BookingRequest
            {
                ServiceId = Service.Id, StartUtc = Slot.StartUtc, Units = Units, RoomId = Slot.RoomId, EngineerId = Slot.EngineerId,
                ClientId = client.Id,
            }, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
            return Redirect(Url.Content($"~/my/bookings/{booking.Id}"));
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
