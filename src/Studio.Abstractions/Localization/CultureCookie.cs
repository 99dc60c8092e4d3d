using System.Globalization;
using Microsoft.AspNetCore.Http;
using Studio.Tenancy;

namespace Studio.Localization;

/// <summary>
/// The cookie remembering a visitor's language choice on one tenant. Its name carries the tenant's name and its path
/// the tenant's prefix: tenants sharing a host name (prefix tenants, the Default tenant at the root) each keep their
/// own choice, and the root tenant's cookie never decides a prefix tenant's language.
/// </summary>
public static class CultureCookie
{
    private const string Prefix = ".Studio.Culture.";

    /// <summary>The cookie's name on a tenant.</summary>
    public static string Name(TenantContext tenant) => Prefix + tenant.Name;

    /// <summary>The culture remembered for this tenant, when the cookie holds a predefined culture.</summary>
    public static CultureInfo? Read(HttpContext context, TenantContext tenant)
    {
        if (!context.Request.Cookies.TryGetValue(Name(tenant), out var value) || string.IsNullOrWhiteSpace(value) || value.Length > 20)
            return null;
        try
        {
            return CultureInfo.GetCultureInfo(value, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            return null; // a stale or forged value: as if there were none
        }
    }

    /// <summary>Remembers <paramref name="culture"/> for a year.</summary>
    public static void Write(HttpContext context, TenantContext tenant, CultureInfo culture) =>
        context.Response.Cookies.Append(Name(tenant), culture.Name, new CookieOptions
        {
            Path = string.IsNullOrEmpty(context.Request.PathBase) ? "/" : context.Request.PathBase.Value,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true, // a preference the visitor asked for, not tracking
            MaxAge = TimeSpan.FromDays(365),
        });
}
