using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.Modules.Bookings.Pages.Bookings.Portal;

/// <summary>
/// A visitor's anonymous hold: shown to the browser that made it, with the way to sign in or sign up; once signed in,
/// the hold is given to the account's client record and the visitor goes on to confirm it.
/// </summary>
[AllowAnonymous]
public sealed class HoldModel(IBookingEngine engine, IBookingCatalog catalog, PortalClients portalClients, PortalHolds holds,
    IStringLocalizer<HoldModel> localizer) : PageModel
{
    public Booking Booking { get; private set; } = new();
    public string? ServiceName { get; private set; }
    public string? RoomName { get; private set; }

    /// <summary>This page (with PathBase), to come back to after signing in.</summary>
    public string ReturnUrl => Request.PathBase + Request.Path;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var booking = await engine.GetAsync(id, cancellationToken);
        if (booking is null)
            return NotFound();
        var signedIn = User.Identity?.IsAuthenticated == true;
        var mine = signedIn && booking.ClientId is { } clientId && (await portalClients.FindAsync(User, cancellationToken))?.Id == clientId;
        if (mine)
            return Redirect(Url.Content($"~/my/bookings/{id}"));
        if (!holds.Holds(HttpContext, id) || booking.ClientId is not null)
            return NotFound();
        if (booking.Status != BookingStatuses.Held)
        {
            holds.Forget(HttpContext);
            ModelState.AddModelError("", localizer["This hold has expired. Please choose a time again."]);
        }
        else if (signedIn)
        {
            try
            {
                var client = await portalClients.EnsureAsync(User, cancellationToken);
                if (client is not null)
                {
                    await engine.AssignClientAsync(id, client.Id, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
                    holds.Forget(HttpContext);
                    return Redirect(Url.Content($"~/my/bookings/{id}"));
                }
            }
            catch (Exception e) when (e is BookingStateException or BookingValidationException)
            {
                holds.Forget(HttpContext);
                ModelState.AddModelError("", e.Message);
            }
        }
        Booking = booking;
        ServiceName = booking.ServiceId is { } serviceId ? (await catalog.GetServiceAsync(serviceId, cancellationToken))?.Name : null;
        RoomName = booking.RoomId is { } roomId ? (await catalog.GetRoomAsync(roomId, cancellationToken))?.Name : null;
        return Page();
    }
}
