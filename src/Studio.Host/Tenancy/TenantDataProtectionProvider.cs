using System.Collections.Concurrent;
using Microsoft.AspNetCore.DataProtection;

namespace Studio.Host.Tenancy;

/// <summary>
/// The host's <see cref="IDataProtectionProvider"/>: every protector it hands out picks the tenant of the current
/// request at the moment it protects or unprotects, so payloads (antiforgery tokens, cookies) made for tenant A
/// cannot be read by tenant B. This has to happen at use time, not at construction time: host singletons such as
/// the antiforgery serializer — and the antiforgery filter MVC caches per (shared) page — are built once for all
/// tenants. Outside a tenant's request the host's own purpose applies.
/// </summary>
/// <remarks>
/// A tenant's container gets <see cref="ForTenant"/> directly, which yields the same purpose chain
/// (<c>Studio.Tenant</c>, name, purposes...) — so a payload protected in a tenant's background work can be read
/// in that tenant's requests and vice versa.
/// </remarks>
public sealed class TenantDataProtectionProvider(IDataProtectionProvider root, IHttpContextAccessor accessor) : IDataProtectionProvider
{
    private readonly ConcurrentDictionary<string, IDataProtector> _tenants = new(StringComparer.Ordinal);

    /// <summary>The root protector of one tenant, whatever the current request.</summary>
    public IDataProtector ForTenant(string tenantName) =>
        _tenants.GetOrAdd(tenantName, name => root.CreateProtector("Studio.Tenant", name));

    public IDataProtector CreateProtector(string purpose) => new AmbientProtector(this, [purpose]);

    private IDataProtector Current(string[] purposes) =>
        accessor.HttpContext?.Features.Get<TenantFeature>() is { } tenant
            ? ForTenant(tenant.Shell.Record.Name).CreateProtector(purposes)
            : root.CreateProtector(purposes);

    private sealed class AmbientProtector(TenantDataProtectionProvider provider, string[] purposes) : IDataProtector
    {
        public IDataProtector CreateProtector(string purpose) => new AmbientProtector(provider, [.. purposes, purpose]);

        public byte[] Protect(byte[] plaintext) => provider.Current(purposes).Protect(plaintext);

        public byte[] Unprotect(byte[] protectedData) => provider.Current(purposes).Unprotect(protectedData);
    }
}
