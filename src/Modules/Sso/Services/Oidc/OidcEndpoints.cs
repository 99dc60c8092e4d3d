using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Security;

namespace Studio.Modules.Sso.Services.Oidc;

/// <summary><c>/sso/oidc/{id}/login</c> (challenge) and <c>/sso/oidc/{id}/callback</c> (authorization response).</summary>
internal static class OidcEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sso/oidc/{id}/login", LoginAsync).ExcludeFromDescription();
        endpoints.MapMethods("/sso/oidc/{id}/callback", [HttpMethods.Get, HttpMethods.Post], CallbackAsync)
            // Each callback may cost a code exchange with the provider: it shares the sign-in budget per (tenant, IP).
            .DisableAntiforgery().RequireStudioRateLimit(RateLimitPolicies.SignIn).ExcludeFromDescription();
    }

    private static async Task LoginAsync(HttpContext http, string id, string? returnUrl)
    {
        if (await EnsureSchemeAsync(http, id) is not { } scheme)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var properties = new AuthenticationProperties();
        properties.Items[OidcEvents.ReturnUrlItem] = SafeReturnUrl(http, returnUrl);
        try
        {
            await http.ChallengeAsync(scheme, properties);
        }
        catch (InvalidOperationException e) when (!http.Response.HasStarted && IsDiscoveryFailure(e))
        {
            // The provider's discovery document could not be read (down, slow, wrong authority): a clear, audited
            // refusal for the person, a warning for the operator — never an unhandled error.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcEndpoints).FullName!)
                .LogWarning("OpenID Connect provider {Provider} could not be reached: {Error}", id, e.GetBaseException().Message);
            await OidcEvents.RejectAsync(http, id, "provider_unreachable", null);
        }
    }

    /// <summary>True when the handler failed to read the provider's configuration (IDX20803).</summary>
    private static bool IsDiscoveryFailure(Exception e) =>
        e.Message.Contains("IDX20803", StringComparison.Ordinal) || e.InnerException is HttpRequestException or IOException or TaskCanceledException;

    private static async Task CallbackAsync(HttpContext http, string id)
    {
        if (await EnsureSchemeAsync(http, id) is not { } scheme)
        {
            await OidcEvents.RejectAsync(http, id, "unknown_provider", null);
            return;
        }
        var handlers = http.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        if (await handlers.GetHandlerAsync(http, scheme) is not StudioOidcHandler handler || !await handler.HandleCallbackAsync())
            await OidcEvents.RejectAsync(http, id, "not_a_callback", null);
    }

    /// <summary>The scheme of an enabled OIDC provider of this tenant (registered/refreshed), or null.</summary>
    private static async Task<string?> EnsureSchemeAsync(HttpContext http, string id)
    {
        var services = http.RequestServices;
        if (services.GetService<IExternalSignIn>() is null)
            return null;
        var store = services.GetRequiredService<ISsoProviderStore>();
        var provider = await store.GetAsync(id, http.RequestAborted);
        if (provider is not { Enabled: true, Protocol: SsoProtocols.Oidc, Oidc: not null }
            || string.IsNullOrWhiteSpace(provider.Oidc.Authority) || string.IsNullOrWhiteSpace(provider.Oidc.ClientId))
            return null;
        var secret = await store.ClientSecretAsync(id, http.RequestAborted);
        return services.GetRequiredService<OidcSchemes>().Ensure(provider, secret);
    }

    /// <summary>Where to land after signing in (see <see cref="Studio.Security.LocalUrls.Landing"/>).</summary>
    internal static string SafeReturnUrl(HttpContext http, string? returnUrl) => Studio.Security.LocalUrls.Landing(http.Request, returnUrl);
}
