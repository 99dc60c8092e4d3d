using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>
/// The SAML SP of the current tenant: metadata, AuthnRequest (HTTP-Redirect signed, or HTTP-POST signed), and the
/// ACS — validator, InResponseTo consumed once, assertion replay cache, IdP-initiated only when allowed — then the
/// mapped <see cref="ExternalIdentity"/> goes to <see cref="IExternalSignIn"/>. Every refusal is audited
/// (<c>sso.saml.rejected</c> with the <see cref="SamlRejection"/>) and the person sees a generic page.
/// </summary>
public sealed class SamlFlow(ISsoProviderStore providers, SpKeyStore keys, SamlRequestStore requests,
    IAuditTrail audit, TimeProvider clock, IStringLocalizer<SamlFlow> T, ILogger<SamlFlow> logger, IServiceProvider services)
{
    /// <summary>Largest ACS POST body accepted, and the largest decoded Response.</summary>
    public const int MaxPostBytes = 512 * 1024, MaxResponseBytes = 256 * 1024, MaxRelayState = 2000;
    public const string ErrorPath = Studio.Modules.Sso.Pages.Sso.ErrorModel.Path;

    /// <summary>The tenant's absolute base URL (scheme, host, prefix) for the request.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public async Task<SsoProvider?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var provider = await providers.GetAsync(id, cancellationToken);
        return provider is { Enabled: true, Protocol: SsoProtocols.Saml, Saml: not null } ? provider : null;
    }

    public async Task<IResult> MetadataAsync(HttpContext context, string id)
    {
        var provider = await providers.GetAsync(id, context.RequestAborted);
        if (provider is not { Protocol: SsoProtocols.Saml })
            return Results.NotFound();
        var xml = SamlProtocol.SpMetadata(SamlSpEndpoints.For(BaseUrl(context.Request), provider.Id), await keys.PublishedAsync(context.RequestAborted));
        return Results.Text(xml, "application/samlmetadata+xml; charset=utf-8");
    }

    public async Task<IResult> LoginAsync(HttpContext context, string id, string? returnUrl)
    {
        var provider = await FindAsync(id, context.RequestAborted);
        if (provider is null)
            return Results.NotFound();
        var saml = provider.Saml!;
        var sp = SamlSpEndpoints.For(BaseUrl(context.Request), provider.Id);
        var requestId = SamlProtocol.NewId();
        var xml = SamlProtocol.AuthnRequest(requestId, clock.GetUtcNow().UtcDateTime, sp, saml.SsoUrl);
        // The return URL stays here (never sent to the IdP); only a local URL of this tenant is kept.
        await requests.RecordAsync(requestId, provider.Id, IsLocalUrl(returnUrl) ? returnUrl : null, context.RequestAborted);
        using var key = await keys.ActiveCertificateAsync(context.RequestAborted);
        if (saml.SsoBinding != "post")
            return Results.Redirect(saml.SsoUrl + (saml.SsoUrl.Contains('?') ? "&" : "?") + SamlSigning.SignedRedirectQuery("SAMLRequest", xml, null, key));
        var signed = SignEnveloped(xml, requestId, key);
        // The page posts to the IdP: the platform CSP's form-action allows that origin for this response only.
        Studio.Security.FormActionOrigins.Allow(context, new Uri(saml.SsoUrl));
        var html = $"""
            <!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{Html(T["Signing in…"])}</title>
            <script src="{Html(context.Request.PathBase + "/_content/Studio.Modules.Sso/saml-post.js")}" defer></script></head>
            <body><form method="post" action="{Html(saml.SsoUrl)}" id="saml-post">
            <input type="hidden" name="SAMLRequest" value="{Html(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(signed)))}">
            <p>{Html(T["Continue to your organisation's sign-in page."])}</p><button type="submit">{Html(T["Continue"])}</button>
            </form></body></html>
            """;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }

    public async Task<IResult> AcsAsync(HttpContext context, string id)
    {
        var provider = await FindAsync(id, context.RequestAborted);
        if (provider is null)
            return Results.NotFound();
        try
        {
            var (assertion, relayState) = await ValidateAsync(context, provider);
            return await SignInAsync(context, provider, assertion, relayState);
        }
        catch (SamlValidationException e)
        {
            return await RefuseAsync(context, provider, e.Reason, e.Message);
        }
    }

    public async Task<IResult> SingleLogoutAsync(HttpContext context, string id)
    {
        var provider = await FindAsync(id, context.RequestAborted);
        if (provider is null)
            return Results.NotFound();
        var logout = (SamlLogout)services.GetService(typeof(SamlLogout))!;
        return await logout.SingleLogoutAsync(context, provider, SamlSpEndpoints.For(BaseUrl(context.Request), provider.Id));
    }

    public async Task<IResult> StartLogoutAsync(HttpContext context, string id)
    {
        var provider = await FindAsync(id, context.RequestAborted);
        if (provider is null)
            return Results.NotFound();
        var antiforgery = (Microsoft.AspNetCore.Antiforgery.IAntiforgery)services.GetService(typeof(Microsoft.AspNetCore.Antiforgery.IAntiforgery))!;
        if (!await antiforgery.IsRequestValidAsync(context))
            return Results.BadRequest();
        var logout = (SamlLogout)services.GetService(typeof(SamlLogout))!;
        return await logout.StartLogoutAsync(context, provider, SamlSpEndpoints.For(BaseUrl(context.Request), provider.Id));
    }

    /// <summary>Reads, validates and consumes the posted Response; throws <see cref="SamlValidationException"/> on any failure.</summary>
    internal async Task<(SamlAssertion Assertion, string? RelayState)> ValidateAsync(HttpContext context, SsoProvider provider)
    {
        var saml = provider.Saml!;
        var request = context.Request;
        if (request.ContentLength is > MaxPostBytes)
            throw new SamlValidationException(SamlRejection.TooLarge, "The POST is larger than allowed.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = MaxPostBytes;
        if (!request.HasFormContentType)
            throw new SamlValidationException(SamlRejection.Malformed, "The ACS expects an HTML form POST.");
        context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            ValueLengthLimit = MaxPostBytes, KeyLengthLimit = 100, ValueCountLimit = 10, MultipartBodyLengthLimit = MaxPostBytes,
        }));
        IFormCollection form;
        try { form = await request.ReadFormAsync(context.RequestAborted); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            throw new SamlValidationException(SamlRejection.TooLarge, "The form could not be read: " + e.Message);
        }
        if (form["SAMLResponse"].Count != 1 || form["RelayState"].Count > 1)
            throw new SamlValidationException(SamlRejection.Malformed, "Exactly one SAMLResponse (and at most one RelayState) is expected.");
        byte[] xml;
        try { xml = Convert.FromBase64String(form["SAMLResponse"].ToString()); }
        catch (FormatException) { throw new SamlValidationException(SamlRejection.Malformed, "SAMLResponse is not base64."); }
        if (xml.Length > MaxResponseBytes)
            throw new SamlValidationException(SamlRejection.TooLarge, "The decoded Response is larger than allowed.");

        // Which of our requests does it claim to answer? (Unverified: only to choose what the validator must find.)
        var claimed = SamlProtocol.PeekInResponseTo(SamlProtocol.ParseUntrusted(xml, MaxResponseBytes));
        if (claimed is null && !saml.AllowIdpInitiated)
            throw new SamlValidationException(SamlRejection.Unsolicited, "An unsolicited Response, and IdP-initiated sign-in is off.");
        if (claimed is not null && !await requests.IsPendingAsync(claimed, provider.Id, context.RequestAborted))
            throw new SamlValidationException(SamlRejection.UnknownRequest, "InResponseTo names no pending request of this provider.");

        var certificates = saml.SigningCertificates.Select(pem => X509Certificate2.CreateFromPem(pem)).ToList();
        var decryption = await keys.DecryptionCertificatesAsync(context.RequestAborted);
        try
        {
            var sp = SamlSpEndpoints.For(BaseUrl(request), provider.Id);
            var skew = TimeSpan.FromSeconds(Math.Clamp(saml.ClockSkewSeconds, 0, 600));
            var validator = (ISamlResponseValidator?)services.GetService(typeof(ISamlResponseValidator))
                ?? throw new InvalidOperationException("No ISamlResponseValidator is registered.");
            var assertion = validator.Validate(xml, new SamlValidationContext
            {
                IdpEntityId = saml.IdpEntityId, IdpSigningCertificates = certificates, SpEntityId = sp.EntityId, AcsUrl = sp.AcsUrl,
                ExpectedInResponseTo = claimed, AllowUnsolicited = claimed is null && saml.AllowIdpInitiated, RequireSigned = saml.RequireSigned, AllowSha1 = saml.AllowSha1, ClockSkew = skew,
                NowUtc = clock.GetUtcNow().UtcDateTime, SpDecryptionCertificates = decryption, MaxResponseBytes = MaxResponseBytes,
            });
            string? relayState;
            if (claimed is not null)
            {
                var consumed = await requests.ConsumeAsync(claimed, provider.Id, context.RequestAborted);
                if (!consumed.Found)
                    throw new SamlValidationException(SamlRejection.Replayed, "The request was answered already.");
                relayState = consumed.RelayState;
            }
            else
            {
                var posted = form["RelayState"].ToString();
                relayState = posted.Length <= MaxRelayState && IsLocalUrl(posted) ? posted : null;
            }
            if (!await requests.TryUseAssertionAsync(assertion.Id, provider.Id, assertion.NotOnOrAfterUtc + skew, context.RequestAborted))
                throw new SamlValidationException(SamlRejection.Replayed, "The assertion id was used before.");
            return (assertion, relayState);
        }
        finally
        {
            foreach (var certificate in certificates.Concat(decryption))
                certificate.Dispose();
        }
    }

    private async Task<IResult> SignInAsync(HttpContext context, SsoProvider provider, SamlAssertion assertion, string? relayState)
    {
        var identity = MapIdentity(provider, assertion);
        var policy = new ExternalSignInPolicy(provider.JustInTimeProvisioning, provider.GroupRoles, provider.DefaultRole, provider.TrustProviderMultiFactor);
        var signIn = (IExternalSignIn?)services.GetService(typeof(IExternalSignIn))
            ?? throw new InvalidOperationException("No IExternalSignIn is registered (the Identity feature provides it).");
        var result = await signIn.SignInAsync(context, identity, policy, rememberMe: false, context.RequestAborted);
        var pathBase = context.Request.PathBase.Value ?? "";
        if (result.Succeeded || result.RequiresTwoFactor)
            ((SamlLogout?)services.GetService(typeof(SamlLogout)))?.Remember(context, provider.Id, assertion, result.UserId);
        // Return URLs carry the tenant's prefix already (as the cookie challenge writes them): never add it twice.
        var landing = Studio.Security.LocalUrls.Landing(context.Request, relayState);
        if (result.Succeeded)
            return Results.Redirect(landing);
        if (result.RequiresTwoFactor)
            return Results.Redirect(pathBase + IdentityPaths.TwoFactor + "?returnUrl=" + Uri.EscapeDataString(landing));
        return ErrorPage(context, result.Error ?? T["Your account could not be signed in."]);
    }

    /// <summary>Provider attributes → the person (values only from the verified assertion).</summary>
    public static ExternalIdentity MapIdentity(SsoProvider provider, SamlAssertion assertion)
    {
        var mapping = provider.Saml!.Mapping;
        string? First(string? name) => name is not null && assertion.Attributes.TryGetValue(name, out var values)
            ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() : null;
        var email = mapping.Email is null ? (assertion.NameId.Contains('@') ? assertion.NameId : null) : First(mapping.Email);
        var groups = mapping.Groups is not null && assertion.Attributes.TryGetValue(mapping.Groups, out var g)
            ? g.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct().ToList() : [];
        return new ExternalIdentity(provider.Id, provider.Label, assertion.NameId, email, First(mapping.Name), groups,
            IsMultiFactor(assertion.AuthnContextClassRef));
    }

    private static readonly string[] MultiFactorClasses =
    [
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract", "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken", "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI", "http://schemas.microsoft.com/claims/multipleauthn",
        "https://refeds.org/profile/mfa",
    ];

    public static bool IsMultiFactor(string? classRef) => classRef is not null && MultiFactorClasses.Contains(classRef, StringComparer.Ordinal);

    private async Task<IResult> RefuseAsync(HttpContext context, SsoProvider provider, SamlRejection reason, string detail)
    {
        logger.LogInformation("SAML response from provider {Provider} refused: {Reason}", provider.Id, reason);
        await audit.RecordAsync(new AuditRecord(AuditActor.Anonymous, "sso.saml.rejected", provider.Id, After: new { reason = reason.ToString(), detail },
            Ip: context.Connection.RemoteIpAddress?.ToString(), UserAgent: context.Request.Headers.UserAgent.ToString()), CancellationToken.None);
        return ErrorPage(context, T["Signing in with your organisation's account did not work. Try again, or ask your studio."]);
    }

    private static IResult ErrorPage(HttpContext context, string message) =>
        Results.Redirect(Studio.Modules.Sso.Pages.Sso.ErrorModel.Prepare(context, message), permanent: false, preserveMethod: false);

    /// <summary>A path of this host (see <see cref="Studio.Security.LocalUrls.IsLocalPath"/>).</summary>
    public static bool IsLocalUrl(string? url) => Studio.Security.LocalUrls.IsLocalPath(url);

    /// <summary>Signs an outbound message (HTTP-POST binding): enveloped, exclusive c14n, RSA-SHA256, reference to its ID.</summary>
    internal static string SignEnveloped(string xml, string id, X509Certificate2 key)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using (var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
            document.Load(reader);
        using var rsa = key.GetRSAPrivateKey()!;
        var signed = new SignedXml(document) { SigningKey = rsa };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + id) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var info = new KeyInfo();
        info.AddClause(new KeyInfoX509Data(key));
        signed.KeyInfo = info;
        signed.ComputeSignature();
        // The signature goes right after the Issuer (schema order).
        var root = document.DocumentElement!;
        var issuer = root.GetElementsByTagName("Issuer", SamlProtocol.AssertionNs)[0];
        root.InsertAfter(document.ImportNode(signed.GetXml(), true), issuer);
        return document.OuterXml;
    }

    private static string Html(string value) => System.Net.WebUtility.HtmlEncode(value);
}
