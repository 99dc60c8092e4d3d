using Microsoft.AspNetCore.DataProtection;
using Studio.Host.Security.KeyRings;

namespace Studio.Host.Tenancy;

/// <summary>
/// The host's <see cref="IDataProtectionProvider"/>: every protector it hands out picks the tenant of the current
/// request at the moment it protects or unprotects, and uses that tenant's OWN key ring (see
/// <see cref="TenantKeyRing"/>), so payloads (antiforgery tokens, cookies) made for tenant A cannot be read by
/// tenant B. This has to happen at use time, not at construction time: host singletons such as the antiforgery
/// serializer — and the antiforgery filter MVC caches per (shared) page — are built once for all tenants.
/// Outside a tenant's request the host's own (in-memory) key ring applies; nothing persistent is protected there.
/// </summary>
/// <remarks>
/// A tenant's container gets its key ring's root protector directly, which yields the same purpose chain — so a
/// payload protected in a tenant's background work can be read in that tenant's requests and vice versa.
/// </remarks>
public sealed class TenantDataProtectionProvider(IDataProtectionProvider root, IHttpContextAccessor accessor) : IDataProtectionProvider
{
    public IDataProtector CreateProtector(string purpose) => new AmbientProtector(this, [purpose]);

    private IDataProtector Current(string[] purposes) =>
        accessor.HttpContext?.Features.Get<TenantFeature>() is { } tenant
            ? tenant.Shell.KeyRing.CreateProtector(purposes)
            : root.CreateProtector(purposes);

    private sealed class AmbientProtector(TenantDataProtectionProvider provider, string[] purposes) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => new AmbientProtector(provider, [.. purposes, purpose]);

        public byte[] Protect(byte[] plaintext) => provider.Current(purposes).Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData) => provider.Current(purposes).Unprotect(protectedData);
    }
}
