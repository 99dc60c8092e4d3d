using Microsoft.AspNetCore.DataProtection;
using Studio.Host.Tenancy;

namespace Studio.Host.Security;

/// <summary>
/// The host's Data Protection provider. Framework singletons shared by all tenants (antiforgery, the HTML generator
/// that writes antiforgery tokens, cookie TempData, ...) get their protectors from here; every protector adds the
/// purpose of the tenant serving the current request, so data protected for one tenant cannot be unprotected by
/// another. Tenant containers register <see cref="ForTenant"/> directly, which yields the same purpose chain.
/// </summary>
public sealed class TenantDataProtectionProvider(IDataProtectionProvider inner, IHttpContextAccessor httpContext) : IDataProtectionProvider
{
    private const string TenantPurpose = "Studio.Tenant";
    private const string HostPurpose = "Studio.Host";

    /// <summary>The provider of one tenant: everything it protects is bound to that tenant.</summary>
    public IDataProtectionProvider ForTenant(string tenantName) => inner.CreateProtector(TenantPurpose, tenantName);

    public IDataProtector CreateProtector(string purpose) => new CurrentTenantProtector(this, [purpose]);

    private IDataProtector Resolve(string[] purposes)
    {
        var tenant = httpContext.HttpContext?.GetTenant()?.Name;
        // Outside a tenant's request (host-level work) data is bound to the host, never to "no tenant".
        var root = tenant is null ? inner.CreateProtector(HostPurpose) : ForTenant(tenant);
        return root.CreateProtector(purposes);
    }

    /// <summary>Picks the tenant at the moment of use, not when the (singleton) consumer was built.</summary>
    private sealed class CurrentTenantProtector(TenantDataProtectionProvider owner, string[] purposes) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => new CurrentTenantProtector(owner, [.. purposes, purpose]);

        public byte[] Protect(byte[] plaintext) => owner.Resolve(purposes).Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData) => owner.Resolve(purposes).Unprotect(protectedData);
    }
}
