using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// The signed-in principal: Identity's claims (id, name, security stamp) plus the user's roles valid in this
/// tenant, the display name, and <see cref="StudioClaims.Tenant"/> — checked on every request so a session never
/// crosses tenants.
/// </summary>
public sealed class StudioClaimsPrincipalFactory(UserManager<StudioUser> users, IOptions<IdentityOptions> options, TenantContext tenant)
    : UserClaimsPrincipalFactory<StudioUser>(users, options)
{
    /// <summary>Claim type of the display name.</summary>
    public const string DisplayNameClaim = "studio:display-name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StudioUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StudioClaims.Tenant, tenant.Name));
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        foreach (var role in await UserManager.GetRolesAsync(user))
            identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, role));
        return identity;
    }
}
