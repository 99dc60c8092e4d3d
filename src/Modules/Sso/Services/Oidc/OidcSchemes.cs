using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Studio.Modules.Sso.Data;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Oidc;

/// <summary>
/// The tenant's OpenID Connect schemes, one per provider, registered at run time in the tenant's own
/// authentication (singleton of the tenant container). A provider's settings are snapshotted here when a request
/// needs its scheme; a changed provider (new version) drops the cached handler options, so the next request builds
/// them anew (discovery included) from the stored provider.
/// </summary>
internal sealed class OidcSchemes(IAuthenticationSchemeProvider schemes, IOptionsMonitorCache<OpenIdConnectOptions> cache)
{
    private const string Prefix = "sso-oidc:";
    private readonly ConcurrentDictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);

    internal sealed record Snapshot(SsoProvider Provider, string? ClientSecret, string Stamp);

    public static string SchemeName(string providerId) => Prefix + providerId;

    public static string CallbackPath(string providerId) => $"/sso/oidc/{providerId}/callback";

    /// <summary>Registers (or refreshes) the scheme of <paramref name="provider"/> and returns its name.</summary>
    public string Ensure(SsoProvider provider, string? clientSecret)
    {
        var name = SchemeName(provider.Id);
        var stamp = $"{provider.Version}|{provider.UpdatedUtc.Ticks}|{Fingerprint(clientSecret)}";
        var fresh = new Snapshot(provider, clientSecret, stamp);
        var previous = _snapshots.AddOrUpdate(name, fresh, (_, old) => old.Stamp == stamp ? old : fresh);
        if (ReferenceEquals(previous, fresh))
            cache.TryRemove(name); // built again from this snapshot on next use
        schemes.TryAddScheme(new AuthenticationScheme(name, provider.Label, typeof(StudioOidcHandler)));
        return name;
    }

    internal Snapshot? Find(string schemeName) => _snapshots.TryGetValue(schemeName, out var snapshot) ? snapshot : null;

    private static string Fingerprint(string? secret) => secret is null
        ? "-"
        : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)))[..16];
}

/// <summary>Builds a provider scheme's handler options from its snapshot (named options of the tenant container).</summary>
internal sealed class OidcOptionsSetup(OidcSchemes schemes, TenantContext tenant) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options) { }

    public void Configure(string? name, OpenIdConnectOptions options)
    {
        if (name is null || schemes.Find(name) is not { } snapshot)
            return;
        var provider = snapshot.Provider;
        var settings = provider.Oidc ?? new OidcProviderSettings();
        var preset = OidcPreset.For(settings.Preset);

        options.Authority = settings.Authority.Trim();
        options.ClientId = settings.ClientId;
        options.ClientSecret = snapshot.ClientSecret;
        // Authorization code + PKCE; the code comes back in the query (a top-level GET, so SameSite=Lax cookies
        // carry the correlation and nonce; no cross-site form POST needing SameSite=None).
        options.ResponseType = OpenIdConnectResponseType.Code;
        options.ResponseMode = OpenIdConnectResponseMode.Query;
        options.UsePkce = true;
        options.Scope.Clear();
        var scopes = settings.Scopes.Count > 0 ? settings.Scopes : preset.Scopes;
        foreach (var scope in scopes.Prepend("openid").Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal))
            options.Scope.Add(scope.Trim());
        options.CallbackPath = OidcSchemes.CallbackPath(provider.Id);
        options.SignedOutCallbackPath = $"/sso/oidc/{provider.Id}/signed-out";
        options.RemoteSignOutPath = $"/sso/oidc/{provider.Id}/sign-out";
        // Nothing is signed in by the handler itself (OnTicketReceived hands over to IExternalSignIn).
        options.SignInScheme = IdentityConstants.ExternalScheme;
        options.SaveTokens = false;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = true;
        options.ClaimActions.MapAll();
        foreach (var noise in new[] { "nonce", "aud", "azp", "acr", "iss", "iat", "nbf", "exp", "at_hash", "c_hash", "auth_time", "ipaddr", "platf", "ver" })
            options.ClaimActions.DeleteClaim(noise);
        options.TokenValidationParameters.NameClaimType = "name";
        options.DisableTelemetry = true;
        options.RequireHttpsMetadata = !IsLoopback(options.Authority);
        options.BackchannelTimeout = TimeSpan.FromSeconds(15);
        options.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
        // State: the handler protects it with the tenant's Data Protection and binds it to a correlation cookie.
        options.ProtocolValidator.RequireNonce = true;

        // Cookies of this tenant only: named after it, host-only, path from the tenant's prefix.
        foreach (var (cookie, kind) in new[] { (options.CorrelationCookie, "Correlation"), (options.NonceCookie, "Nonce") })
        {
            cookie.Name = $".Studio.Oidc.{kind}.{tenant.Name}.";
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.HttpOnly = true;
            cookie.Domain = null;
        }
        options.Events = OidcEvents.Create(provider.Id);
    }

    private static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}

/// <summary>
/// The provider's handler. The authentication middleware runs every request handler scheme on every request; this
/// one answers only when the SSO callback endpoint asks it to (<see cref="HandleCallbackAsync"/>), after that
/// endpoint has checked the provider is enabled and refreshed its settings.
/// </summary>
internal sealed class StudioOidcHandler(IOptionsMonitor<OpenIdConnectOptions> options, Microsoft.Extensions.Logging.ILoggerFactory logger,
    System.Text.Encodings.Web.HtmlEncoder htmlEncoder, System.Text.Encodings.Web.UrlEncoder encoder)
    : OpenIdConnectHandler(options, logger, htmlEncoder, encoder)
{
    public override Task<bool> HandleRequestAsync() => Task.FromResult(false);

    public Task<bool> HandleCallbackAsync() => base.HandleRequestAsync();
}
