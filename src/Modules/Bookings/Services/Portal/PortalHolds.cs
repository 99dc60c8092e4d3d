using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>
/// Remembers, in the visitor's browser, the hold it made before signing in: a cookie with the booking id and the
/// hold's expiry, protected with the tenant's Data Protection keys (another tenant, or a forged value, is refused).
/// Only the browser that made an anonymous hold can take it over after signing in.
/// </summary>
public sealed class PortalHolds(IDataProtectionProvider dataProtection, TimeProvider time, Studio.Tenancy.TenantContext tenant)
{
    /// <summary>The cookie's name on this tenant: it carries the tenant's, so a root tenant's hold never reaches a
    /// prefix tenant on the same host (both would otherwise send a cookie of one name).</summary>
    public string CookieName => "studio-hold." + tenant.Name;

    private IDataProtector Protector => dataProtection.CreateProtector("Studio.Bookings.PortalHold.v1");

    /// <summary>Remembers <paramref name="bookingId"/> until <paramref name="expiresUtc"/>.</summary>
    public void Remember(HttpContext context, long bookingId, DateTime expiresUtc)
    {
        var value = Protector.Protect(bookingId.ToString(CultureInfo.InvariantCulture) + "|" + expiresUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        context.Response.Cookies.Append(CookieName, value, Options(context, expiresUtc));
    }

    /// <summary>True when this browser made the (still live) anonymous hold <paramref name="bookingId"/>.</summary>
    public bool Holds(HttpContext context, long bookingId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
            return false;
        string plain;
        try { plain = Protector.Unprotect(value); }
        catch (System.Security.Cryptography.CryptographicException) { return false; }
        var parts = plain.Split('|');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id == bookingId
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && new DateTime(ticks, DateTimeKind.Utc) > time.GetUtcNow().UtcDateTime;
    }

    /// <summary>Forgets the hold (taken over, or gone).</summary>
    public void Forget(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context, null));

    private static CookieOptions Options(HttpContext context, DateTime? expiresUtc) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        IsEssential = true,
        Path = context.Request.PathBase.HasValue ? context.Request.PathBase.Value : "/",
        Expires = expiresUtc is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : null,
    };
}
