using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Sso.Data;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>
/// Remembers which IdP session a browser's sign-in came from (a tenant-protected, HttpOnly cookie: provider, NameID,
/// SessionIndex) and answers the IdP's single logout (HTTP-Redirect, signature verified over the raw query with the
/// IdP's configured certificates only): the matching local session ends and a signed LogoutResponse goes back.
/// </summary>
public sealed class SamlLogout(IDataProtectionProvider protection, SpKeyStore keys, SamlRequestStore requests, IAuditTrail audit, TimeProvider clock,
    Studio.Tenancy.TenantContext tenant, ILogger<SamlLogout> logger, Microsoft.Extensions.Localization.IStringLocalizer<SamlLogout> T)
{
    /// <summary>Logout request ids are kept apart from AuthnRequest ids: neither can answer the other.</summary>
    private const string LogoutPrefix = "slo:";

    /// <summary>Longest LogoutRequest ID accepted (it is kept in the replay table).</summary>
    public const int MaxLogoutRequestId = 150;

    /// <summary>An xs:dateTime attribute as UTC, or null when absent or not a time (never an exception).</summary>
    private static DateTime? ReadInstant(XElement element, string name) =>
        (string?)element.Attribute(name) is { } value && DateTime.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? DateTime.SpecifyKind(parsed, DateTimeKind.Utc) : null;

    private static string CookiePath(HttpContext context) => string.IsNullOrEmpty(context.Request.PathBase) ? "/" : context.Request.PathBase.Value!;

    private async Task EndLocalSessionAsync(HttpContext context, string providerId, string by)
    {
        await audit.RecordAsync(new AuditRecord(AuditActor.FromPrincipal(context.User, AuditActor.Anonymous), "sso.saml.logout", providerId,
            After: new { by }, Ip: context.Connection.RemoteIpAddress?.ToString()), CancellationToken.None);
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = CookiePath(context) });
    }

    /// <summary>
    /// POST /sso/saml/{id}/logout (antiforgery checked by the endpoint): ends the local session and, when it came from
    /// this IdP and the IdP has a logout endpoint, sends it a signed LogoutRequest (HTTP-Redirect).
    /// </summary>
    public async Task<IResult> StartLogoutAsync(HttpContext context, SsoProvider provider, SamlSpEndpoints sp)
    {
        var home = (context.Request.PathBase.Value ?? "") + "/";
        var session = Read(context);
        if (context.User.Identity?.IsAuthenticated != true && session is null)
            return Results.Redirect(home);
        var current = CurrentUserId(context);
        await EndLocalSessionAsync(context, provider.Id, "sp");
        var saml = provider.Saml!;
        // The IdP session is ended only when it is the one this account's session came from.
        if (session is not { } s || s.Provider != provider.Id || string.IsNullOrEmpty(saml.SloUrl)
            || (s.UserId.Length > 0 && current is not null && s.UserId != current))
            return Results.Redirect(home);
        XNamespace p = SamlProtocol.ProtocolNs, a = SamlProtocol.AssertionNs;
        var id = SamlProtocol.NewId();
        var request = new XElement(p + "LogoutRequest", new XAttribute(XNamespace.Xmlns + "samlp", SamlProtocol.ProtocolNs),
            new XAttribute(XNamespace.Xmlns + "saml", SamlProtocol.AssertionNs), new XAttribute("ID", id), new XAttribute("Version", "2.0"),
            new XAttribute("IssueInstant", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("Destination", saml.SloUrl), new XElement(a + "Issuer", sp.EntityId), new XElement(a + "NameID", s.NameId));
        if (s.SessionIndex.Length > 0)
            request.Add(new XElement(p + "SessionIndex", s.SessionIndex));
        await requests.RecordAsync(LogoutPrefix + id, provider.Id, "/", context.RequestAborted);
        using var key = await keys.ActiveCertificateAsync(context.RequestAborted);
        var target = saml.SloUrl + (saml.SloUrl.Contains('?') ? "&" : "?")
            + SamlSigning.SignedRedirectQuery("SAMLRequest", request.ToString(SaveOptions.DisableFormatting), null, key);
        return ContinuePage(context, target, provider.Label);
    }

    /// <summary>
    /// The answer to the sign-out POST when the IdP is next: a page that goes on to <paramref name="target"/> (a meta
    /// refresh, and a link for browsers that do not follow it). Not a 302: the platform's CSP (<c>form-action 'self'</c>)
    /// also covers the redirects of a form submission, so a redirect to the IdP's origin would be blocked; a navigation
    /// from a page is not. No script, no inline style.
    /// </summary>
    private IResult ContinuePage(HttpContext context, string target, string providerLabel)
    {
        static string Html(string value) => System.Net.WebUtility.HtmlEncode(value);
        var html = $"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><meta http-equiv="refresh" content="0;url={Html(target)}">
            <title>{Html(T["Signing out…"])}</title></head>
            <body><p>{Html(T["You are signed out of the studio. Continue to sign out of {0} too.", providerLabel])}</p>
            <p><a id="saml-logout-continue" href="{Html(target)}">{Html(T["Continue"])}</a></p></body></html>
            """;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>The IdP-session cookie; its name carries the tenant's, so a root tenant's never reaches a prefix tenant on the same host.</summary>
    public string CookieName => ".Studio.Saml." + tenant.Name;
    private IDataProtector Protector => protection.CreateProtector("Studio.Sso.Saml.Session");

    /// <summary>After a SAML sign-in of <paramref name="userId"/>: remember the IdP session for its single logout.</summary>
    public void Remember(HttpContext context, string providerId, SamlAssertion assertion, string? userId)
    {
        var value = Protector.Protect(string.Join('\n', providerId, assertion.NameId, assertion.SessionIndex ?? "", userId ?? ""));
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true, Secure = context.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true,
            Path = CookiePath(context),
        });
    }

    /// <summary>The signed-in account of the request, or null.</summary>
    internal static string? CurrentUserId(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.RequestServices.GetService(typeof(UserManager<StudioUser>)) is UserManager<StudioUser> users
            ? users.GetUserId(context.User) : null;

    /// <summary>The IdP session this browser's sign-in came from (provider, NameID, SessionIndex, the account signed in), or null.</summary>
    internal (string Provider, string NameId, string SessionIndex, string UserId)? Read(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value))
            return null;
        try
        {
            var parts = Protector.Unprotect(value).Split('\n');
            return parts.Length switch
            {
                4 => (parts[0], parts[1], parts[2], parts[3]),
                3 => (parts[0], parts[1], parts[2], ""), // written before the account was recorded
                _ => null,
            };
        }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }

    /// <summary>GET /sso/saml/{id}/slo: a LogoutRequest from the IdP (HTTP-Redirect, signed).</summary>
    public async Task<IResult> SingleLogoutAsync(HttpContext context, SsoProvider provider, SamlSpEndpoints sp)
    {
        var saml = provider.Saml!;
        var certificates = saml.SigningCertificates.Select(pem => X509Certificate2.CreateFromPem(pem)).ToList();
        try
        {
            var message = SamlSigning.VerifyRedirectQuery(context.Request.QueryString.Value ?? "", certificates, saml.AllowSha1);
            var root = SamlProtocol.ParseUntrusted(System.Text.Encoding.UTF8.GetBytes(message.Xml), 64 * 1024).Root;
            XNamespace p = SamlProtocol.ProtocolNs, a = SamlProtocol.AssertionNs;
            if (message.ParameterName == "SAMLResponse")
            {
                // The IdP's answer to our LogoutRequest: it must name one we sent and have not seen answered.
                if (root is null || root.Name != p + "LogoutResponse" || root.Element(a + "Issuer")?.Value.Trim() != saml.IdpEntityId)
                    throw new SamlValidationException(SamlRejection.WrongIssuer, "Not a LogoutResponse of this provider.");
                var answered = (string?)root.Attribute("InResponseTo");
                if (answered is null || !(await requests.ConsumeAsync(LogoutPrefix + answered, provider.Id, context.RequestAborted)).Found)
                    throw new SamlValidationException(SamlRejection.UnknownRequest, "The LogoutResponse answers no pending logout.");
                return Results.Redirect((context.Request.PathBase.Value ?? "") + "/");
            }
            if (root is null || root.Name != p + "LogoutRequest" || (string?)root.Attribute("Version") != "2.0")
                throw new SamlValidationException(SamlRejection.Malformed, "Not a SAML 2.0 LogoutRequest.");
            var requestId = (string?)root.Attribute("ID") ?? throw new SamlValidationException(SamlRejection.Malformed, "The LogoutRequest has no ID.");
            if (root.Element(a + "Issuer")?.Value.Trim() != saml.IdpEntityId)
                throw new SamlValidationException(SamlRejection.WrongIssuer, "The LogoutRequest's issuer is not this provider.");
            if ((string?)root.Attribute("Destination") is { } destination && destination != sp.SloUrl)
                throw new SamlValidationException(SamlRejection.WrongDestination, "The LogoutRequest is addressed elsewhere.");
            // Time: IssueInstant is required and recent (within the request lifetime and the IdP's skew);
            // NotOnOrAfter, when present, is in the future. The id is then used once: a replayed (still signed,
            // still recent) LogoutRequest is refused, every instance agreeing through the tenant's database.
            var now = clock.GetUtcNow().UtcDateTime;
            var skew = TimeSpan.FromSeconds(Math.Clamp(saml.ClockSkewSeconds, 0, 600));
            if (requestId.Length > MaxLogoutRequestId)
                throw new SamlValidationException(SamlRejection.Malformed, "The LogoutRequest's ID is too long.");
            var issued = ReadInstant(root, "IssueInstant") ?? throw new SamlValidationException(SamlRejection.Malformed, "The LogoutRequest has no valid IssueInstant.");
            if (issued > now + skew)
                throw new SamlValidationException(SamlRejection.NotYetValid, "The LogoutRequest was issued in the future.");
            if (issued + SamlRequestStore.RequestLifetime + skew <= now)
                throw new SamlValidationException(SamlRejection.Expired, "The LogoutRequest is too old.");
            DateTime? notOnOrAfter = root.Attribute("NotOnOrAfter") is null ? null
                : ReadInstant(root, "NotOnOrAfter") ?? throw new SamlValidationException(SamlRejection.Malformed, "The LogoutRequest's NotOnOrAfter is not a time.");
            if (notOnOrAfter is { } end && end + skew <= now)
                throw new SamlValidationException(SamlRejection.Expired, "The LogoutRequest has expired.");
            var keepUntil = issued + SamlRequestStore.RequestLifetime + skew;
            if (notOnOrAfter is { } until && until + skew > keepUntil)
                keepUntil = until + skew;
            if (!await requests.TryUseLogoutRequestAsync(requestId, provider.Id, keepUntil, context.RequestAborted))
                throw new SamlValidationException(SamlRejection.Replayed, "The LogoutRequest id was used before.");
            var nameId = string.Concat(root.Element(a + "NameID")?.Nodes().OfType<XText>().Select(t => t.Value) ?? []).Trim();

            // End this browser's session when it came from that IdP session (same provider and subject).
            var session = Read(context);
            var ended = session is { } s && s.Provider == provider.Id && s.NameId == nameId;
            if (ended)
                await EndLocalSessionAsync(context, provider.Id, "idp");
            if (string.IsNullOrEmpty(saml.SloUrl))
                return Results.Redirect((context.Request.PathBase.Value ?? "") + "/");
            XNamespace pp = SamlProtocol.ProtocolNs;
            var response = new XElement(pp + "LogoutResponse", new XAttribute(XNamespace.Xmlns + "samlp", SamlProtocol.ProtocolNs),
                new XAttribute(XNamespace.Xmlns + "saml", SamlProtocol.AssertionNs),
                new XAttribute("ID", SamlProtocol.NewId()), new XAttribute("Version", "2.0"),
                new XAttribute("IssueInstant", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
                new XAttribute("Destination", saml.SloUrl), new XAttribute("InResponseTo", requestId),
                new XElement(a + "Issuer", sp.EntityId),
                new XElement(pp + "Status", new XElement(pp + "StatusCode", new XAttribute("Value",
                    ended ? "urn:oasis:names:tc:SAML:2.0:status:Success" : "urn:oasis:names:tc:SAML:2.0:status:PartialLogout"))));
            using var key = await keys.ActiveCertificateAsync(context.RequestAborted);
            var query = SamlSigning.SignedRedirectQuery("SAMLResponse", response.ToString(SaveOptions.DisableFormatting), message.RelayState, key);
            return Results.Redirect(saml.SloUrl + (saml.SloUrl.Contains('?') ? "&" : "?") + query);
        }
        catch (SamlValidationException e)
        {
            logger.LogInformation("SAML logout from provider {Provider} refused: {Reason}", provider.Id, e.Reason);
            await audit.RecordAsync(new AuditRecord(AuditActor.Anonymous, "sso.saml.rejected", provider.Id,
                After: new { reason = e.Reason.ToString(), detail = e.Message, message = "LogoutRequest" }, Ip: context.Connection.RemoteIpAddress?.ToString()), CancellationToken.None);
            return Results.Redirect((context.Request.PathBase.Value ?? "") + SamlFlow.ErrorPath);
        }
        finally
        {
            foreach (var certificate in certificates)
                certificate.Dispose();
        }
    }
}

/// <summary>
/// Identity's sign-out page asks this (<see cref="IExternalSignOutProvider"/>): when the signed-in account's session
/// came from an enabled SAML provider of this tenant that has a logout endpoint (the session cookie written at the
/// ACS names the provider and the account), the page's "Sign out" posts to <c>/sso/saml/{id}/logout</c> — SP-initiated
/// single logout.
/// </summary>
public sealed class SamlSignOutProvider(SamlLogout logout, SamlFlow flow) : IExternalSignOutProvider
{
    public async Task<ExternalSignOutLink?> FindAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (logout.Read(context) is not { } session || session.UserId.Length == 0 || session.UserId != SamlLogout.CurrentUserId(context))
            return null;
        var provider = await flow.FindAsync(session.Provider, cancellationToken);
        if (provider?.Saml is not { SloUrl: { Length: > 0 } })
            return null;
        return new ExternalSignOutLink(provider.Id, provider.Label, Providers.SsoPaths.SamlLogout(provider.Id));
    }
}
