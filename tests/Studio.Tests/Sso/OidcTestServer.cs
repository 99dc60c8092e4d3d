using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Studio.Tests.Sso;

/// <summary>A person of the test identity provider.</summary>
public sealed record OidcTestUser(string Username, string Password, string Subject, string Email, string Name,
    string[] Groups, string[] Amr, bool EmailVerified = true, bool Denied = false);

/// <summary>A client (relying party) registered with the test identity provider.</summary>
public sealed record OidcTestClient(string ClientId, string ClientSecret, HashSet<string> RedirectUris);

/// <summary>
/// A real OpenID Connect provider for tests: OpenIddict's server on Kestrel (loopback, plain HTTP), authorization
/// code flow with PKCE required, signed ID tokens, a login form with a cookie session, clients and users registered
/// by the tests. Client id, secret and redirect URI are checked like any provider does.
/// </summary>
public sealed class OidcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentDictionary<string, OidcTestUser> Users { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, OidcTestClient> Clients { get; } = new(StringComparer.Ordinal);
    public Uri Authority { get; }

    private OidcTestServer(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    public static async Task<OidcTestServer> StartAsync()
    {
        var port = FreePort();
        var authority = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls(authority.ToString().TrimEnd('/'));
        builder.Logging.ClearProviders();
        OidcTestServer? self = null;
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o => o.Cookie.Name = "idp-session");
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetIssuer(authority);
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.RegisterScopes(Scopes.Email, Scopes.Profile, "groups");
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.DisableAccessTokenEncryption();
            o.EnableDegradedMode(); // no stores: clients and users are checked by the handlers below
            o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (!self!.Clients.TryGetValue(context.ClientId ?? "", out var client))
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (!client.RedirectUris.Contains(context.RedirectUri ?? ""))
                    context.Reject(Errors.InvalidRequest, "Unregistered redirect_uri.");
                return default;
            }));
            o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (!self!.Clients.TryGetValue(context.ClientId ?? "", out var client) || client.ClientSecret != context.ClientSecret)
                    context.Reject(Errors.InvalidClient, "Bad client credentials.");
                return default;
            }));
        });
        var app = builder.Build();
        self = new OidcTestServer(app, authority);
        app.UseAuthentication();
        app.MapGet("/login", (string? returnUrl) => Results.Content(
            $"<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"returnUrl\" value=\"{WebUtility.HtmlEncode(returnUrl)}\">" +
            "<input name=\"username\"><input name=\"password\" type=\"password\"><button>Sign in</button></form>", "text/html"));
        app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (!self.Users.TryGetValue(form["username"].ToString(), out var user) || user.Password != form["password"].ToString())
                return Results.Content("Wrong user name or password.", "text/plain", statusCode: 401);
            await http.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity([new Claim("user", user.Username)], "idp")));
            var returnUrl = form["returnUrl"].ToString();
            return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/");
        });
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("No OpenID Connect request.");
            var session = await http.AuthenticateAsync();
            if (!session.Succeeded || !self.Users.TryGetValue(session.Principal!.FindFirst("user")!.Value, out var user))
                return Results.Redirect("/login?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
            if (user.Denied) // the provider refuses this person this application (consent refused, not assigned…)
                return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is not assigned to this application.",
                }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            var identity = new ClaimsIdentity(Microsoft.IdentityModel.Tokens.TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email).SetClaim(Claims.Name, user.Name)
                .SetClaim(Claims.EmailVerified, user.EmailVerified);
            identity.SetClaims("groups", [.. user.Groups]);
            identity.SetClaims(Claims.AuthenticationMethodReference, [.. user.Amr]);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        return self;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
