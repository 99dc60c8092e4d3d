using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>The request's tenant, set by <see cref="TenantMiddleware"/> as an HTTP feature.</summary>
public sealed class TenantFeature(TenantShell shell)
{
    /// <summary>The shell serving this request.</summary>
    public TenantShell Shell { get; } = shell;

    /// <summary>What modules see of the tenant.</summary>
    public TenantContext Context => Shell.Context;
}

/// <summary>Access to the current tenant from host-level code.</summary>
public static class TenantHttpContextExtensions
{
    /// <summary>The tenant of the request, or null before resolution / for unknown hosts.</summary>
    public static TenantContext? GetTenant(this HttpContext context) => context.Features.Get<TenantFeature>()?.Context;
}
