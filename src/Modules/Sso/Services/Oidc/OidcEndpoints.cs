using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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
        await http.ChallengeAsync(scheme, properties);
    }

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
