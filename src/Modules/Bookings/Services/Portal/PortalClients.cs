using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Clients;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>The client record of the signed-in portal account (linked, found by confirmed e-mail, or created).</summary>
public sealed class PortalClients(UserManager<StudioUser> users, IClientDirectory clients)
{
    /// <summary>The linked client record, or null when the account has none yet (nothing is created).</summary>
    public async Task<Client?> FindAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var id = users.GetUserId(principal);
        return id is null ? null : await clients.FindByUserAsync(id, cancellationToken);
    }

    /// <summary>The client record of the account, linking or creating one (audited by the directory).</summary>
    public async Task<Client?> EnsureAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
            return null;
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? user.Id : user.DisplayName;
        return await clients.EnsureForUserAsync(user.Id, user.Email ?? "", name, user.Culture,
            AuditActor.FromPrincipal(principal, AuditActor.Anonymous), cancellationToken);
    }
}
