using Microsoft.AspNetCore.Http.Extensions;

namespace Studio.Host.Tenancy;

/// <summary>
/// A tenant with a primary host sends requests on its other hosts there (permanently), keeping the path as the
/// client sent it (with the tenant's prefix, if it has one: the prefix is the same on every host) and the query.
/// </summary>
/// <remarks>
/// Requests that reach the tenant through one of its wildcards are redirected too: they are "other hosts". A
/// wildcard itself can never be primary (there is no single name to send a request to). The Default tenant never
/// redirects: its hosts are configuration, and health checks and operators must reach every instance on them. The
/// health endpoints answer before tenant resolution, so they are never redirected. The scheme is the request's
/// (after forwarded headers from known proxies), so a TLS-terminating proxy's https is kept.
/// </remarks>
public static class PrimaryHostRedirect
{
    /// <summary>The absolute URL to redirect to, or null when the request is on the primary host or there is none.</summary>
    public static string? Location(TenantRecord tenant, HttpRequest request)
    {
        if (tenant.PrimaryHost is not { } primary || tenant.IsDefault)
            return null;
        var requested = primary.Contains(':') ? TenantNames.NormalizeHost(request.Host.Value ?? "") : TenantNames.NormalizeHost(request.Host.Host);
        if (requested.Equals(primary, StringComparison.OrdinalIgnoreCase))
            return null;
        return UriHelper.BuildAbsolute(request.Scheme, new HostString(primary), request.PathBase, request.Path, request.QueryString);
    }
}
