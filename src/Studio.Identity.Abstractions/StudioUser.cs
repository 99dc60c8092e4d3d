using Microsoft.AspNetCore.Identity;

namespace Studio.Identity;

/// <summary>
/// An account of one tenant, stored in that tenant's own data. Staff (owner, admin, engineer, front desk) and
/// clients live in a studio tenant; platform operators and resellers in the Default tenant.
/// </summary>
public sealed class StudioUser : IdentityUser
{
    /// <summary>Name shown in the UI and in audit entries.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Preferred culture (e.g. <c>fr-FR</c>) for pages and e-mails, or null for the tenant's default.</summary>
    public string? Culture { get; set; }

    /// <summary>When the account was created (UTC).</summary>
    public DateTime CreatedUtc { get; set; }

    /// <summary>
    /// Default tenant only: the reseller (IResellerDirectory id) a <see cref="StudioRoles.Reseller"/> account acts
    /// for. Set by an operator, never by the account itself; it becomes the <see cref="StudioClaims.Reseller"/> claim.
    /// </summary>
    public string? ResellerId { get; set; }
}
