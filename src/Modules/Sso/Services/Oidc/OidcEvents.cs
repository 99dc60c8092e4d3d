using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;

namespace Studio.Modules.Sso.Services.Oidc;

/// <summary>
/// What happens once the handler has checked the authorization response (state, correlation cookie, PKCE code
/// exchange, ID token signature/issuer/audience/lifetime, nonce): the verified claims become an
/// <see cref="ExternalIdentity"/> handed to <see cref="IExternalSignIn"/>. Every refusal is audited with its reason
/// and answered with the same generic page.
/// </summary>
internal static class OidcEvents
{
    public const string ReturnUrlItem = "studio.returnUrl";
    public const string RejectedAction = "sso.oidc.rejected";
    /// <summary>The generic failure page, shared with SAML.</summary>
    public const string FailedPath = Studio.Modules.Sso.Pages.Sso.ErrorModel.Path;

    public static OpenIdConnectEvents Create(string providerId) => new()
    {
        OnTicketReceived = context => SignInAsync(context, providerId),
        OnRemoteFailure = context => FailAsync(context, providerId),
        OnAccessDenied = async context =>
        {
            await RejectAsync(context.HttpContext, providerId, "access_denied", null);
            context.HandleResponse();
        },
    };

    private static async Task SignInAsync(TicketReceivedContext context, string providerId)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var services = http.RequestServices;
        var store = services.GetRequiredService<ISsoProviderStore>();
        var provider = await store.GetAsync(providerId, http.RequestAborted);
        if (provider is not { Enabled: true, Protocol: SsoProtocols.Oidc, Oidc: not null })
        {
            await RejectAsync(http, providerId, "provider_disabled", null);
            return;
        }
        var principal = context.Principal;
        if (principal is null)
        {
            await RejectAsync(http, providerId, "no_principal", null);
            return;
        }
        var identity = OidcClaims.ToExternalIdentity(provider, principal);
        if (identity is null)
        {
            await RejectAsync(http, providerId, "no_subject", null);
            return;
        }
        var signIn = services.GetService<IExternalSignIn>();
        if (signIn is null)
        {
            await RejectAsync(http, providerId, "no_external_sign_in", null);
            return;
        }
        var policy = new ExternalSignInPolicy(provider.JustInTimeProvisioning, provider.GroupRoles, provider.DefaultRole, provider.TrustProviderMultiFactor);
        var result = await signIn.SignInAsync(http, identity, policy, rememberMe: false, http.RequestAborted);
        string? stored = null;
        context.Properties?.Items.TryGetValue(ReturnUrlItem, out stored);
        var returnUrl = OidcEndpoints.SafeReturnUrl(http, stored);
        if (result.Succeeded)
        {
            http.Response.Redirect(returnUrl);
            return;
        }
        if (result.RequiresTwoFactor)
        {
            http.Response.Redirect(http.Request.PathBase + IdentityPaths.TwoFactor + "?returnUrl=" + Uri.EscapeDataString(returnUrl) + "&rememberMe=false");
            return;
        }
        // IExternalSignIn audits its own refusals (unknown account, no role…); its message is safe to show.
        await WriteFailedAsync(http, result.Error);
    }

    private static async Task FailAsync(RemoteFailureContext context, string providerId)
    {
        context.HandleResponse();
        var reason = context.Failure switch
        {
            null => "unknown",
            Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectProtocolInvalidNonceException => "invalid_nonce",
            Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectProtocolException => "protocol_error",
            Microsoft.IdentityModel.Tokens.SecurityTokenException => "invalid_token",
            AuthenticationFailureException when context.Failure.Message.Contains("Correlation", StringComparison.OrdinalIgnoreCase) => "invalid_correlation",
            AuthenticationFailureException when context.Failure.Message.Contains("state", StringComparison.OrdinalIgnoreCase) => "invalid_state",
            _ => "failed",
        };
        await RejectAsync(context.HttpContext, providerId, reason, context.Failure?.Message);
    }

    /// <summary>Audits a refusal (reason and technical detail for the tenant's admins) and shows the generic page.</summary>
    internal static async Task RejectAsync(HttpContext http, string providerId, string reason, string? detail)
    {
        var services = http.RequestServices;
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcEvents).FullName!)
            .LogInformation("OpenID Connect sign-in with provider {Provider} refused: {Reason}", providerId, reason);
        if (services.GetService<IAuditTrail>() is { } audit)
            await audit.RecordAsync(new AuditRecord(AuditActor.Anonymous, RejectedAction, providerId,
                After: new { reason, detail }, Ip: http.Connection.RemoteIpAddress?.ToString(),
                UserAgent: http.Request.Headers.UserAgent.ToString()), CancellationToken.None);
        await WriteFailedAsync(http, null);
    }

    /// <summary>Sends the browser to the generic failure page; only IExternalSignIn's own (safe) message travels, in TempData.</summary>
    private static Task WriteFailedAsync(HttpContext http, string? message)
    {
        http.Response.Redirect(Studio.Modules.Sso.Pages.Sso.ErrorModel.Prepare(http, message));
        return Task.CompletedTask;
    }
}
