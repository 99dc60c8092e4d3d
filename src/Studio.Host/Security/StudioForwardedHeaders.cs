using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Studio.Host.Security;

/// <summary>
/// Reverse-proxy support: <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> are applied only when the request's
/// connection comes from a proxy listed in <c>Studio:ForwardedHeaders</c> (KnownProxies / KnownNetworks). From
/// anyone else they are ignored — otherwise any client could pick another tenant's host, or a fresh client IP for
/// every request to slip past the rate limits. The framework's loopback defaults are cleared: nothing is trusted
/// unless configured.
/// </summary>
public static class StudioForwardedHeaders
{
    /// <summary>Binds <c>Studio:ForwardedHeaders</c> to <see cref="ForwardedHeadersOptions"/>.</summary>
    public static IServiceCollection AddStudioForwardedHeaders(this IServiceCollection services)
    {
        // Read when the options are first used (not while registering): configuration sources added later, such
        // as a test host's, are then in place.
        services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<StudioOptions>>((options, studio) =>
        {
            var settings = studio.Value.ForwardedHeaders;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            options.ForwardLimit = Math.Max(1, settings.ForwardLimit);
            foreach (var proxy in settings.KnownProxies)
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new FormatException($"Studio:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address."));
            foreach (var network in settings.KnownNetworks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new FormatException($"Studio:ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (10.0.0.0/8)."));
        });
        return services;
    }
}
