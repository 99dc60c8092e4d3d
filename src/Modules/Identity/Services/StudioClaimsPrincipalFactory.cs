using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// The signed-in principal: Identity's claims (id, name, security stamp) plus the user's roles valid in this
/// tenant, the display name, <see cref="StudioClaims.Reseller"/> for a reseller account, and <see cref="StudioClaims.Tenant"/> — checked on every request so a session never
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
        var roles = await UserManager.GetRolesAsync(user);
        foreach (var role in roles)
            identity.AddClaim(new Claim(Options.ClaimsIdentity.RoleClaimType, role));
        // The reseller a reseller account acts for comes from the stored account only (set by an operator), and
        // only on the Default tenant; the principal is rebuilt from it on every request (stamp validation).
        if (tenant.IsDefault && !string.IsNullOrEmpty(user.ResellerId) && roles.Contains(StudioRoles.Reseller))
            identity.AddClaim(new Claim(StudioClaims.Reseller, user.ResellerId));
        return identity;
    }
}
