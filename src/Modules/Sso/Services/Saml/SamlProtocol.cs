using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Studio.Modules.Sso.Data;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>The tenant's SP addresses for one IdP (absolute, from the request's scheme, host and tenant prefix).</summary>
public sealed record SamlSpEndpoints(string EntityId, string AcsUrl, string SloUrl, string MetadataUrl)
{
    public static SamlSpEndpoints For(string baseUrl, string providerId)
    {
        var root = $"{baseUrl.TrimEnd('/')}/sso/saml/{Uri.EscapeDataString(providerId)}";
        return new SamlSpEndpoints($"{root}/metadata", $"{root}/acs", $"{root}/slo", $"{root}/metadata");
    }
}

/// <summary>Outbound SAML messages (AuthnRequest, SP metadata) and the HTTP-Redirect binding.</summary>
public static class SamlProtocol
{
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol", AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion",
        MetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata", DsigNs = "http://www.w3.org/2000/09/xmldsig#",
        RedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", PostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
        RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    /// <summary>A fresh request id: starts with a letter (xs:ID), 160 random bits.</summary>
    public static string NewId() => "_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    /// <summary>The AuthnRequest XML (unsigned: the Redirect binding signs the query string).</summary>
    public static string AuthnRequest(string id, DateTime nowUtc, SamlSpEndpoints sp, string destination)
    {
        XNamespace p = ProtocolNs, a = AssertionNs;
        var request = new XElement(p + "AuthnRequest",
            new XAttribute(XNamespace.Xmlns + "samlp", ProtocolNs), new XAttribute(XNamespace.Xmlns + "saml", AssertionNs),
            new XAttribute("ID", id), new XAttribute("Version", "2.0"),
            new XAttribute("IssueInstant", nowUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("Destination", destination), new XAttribute("AssertionConsumerServiceURL", sp.AcsUrl),
            new XAttribute("ProtocolBinding", PostBinding),
            new XElement(a + "Issuer", sp.EntityId),
            new XElement(p + "NameIDPolicy", new XAttribute("AllowCreate", "true"),
                new XAttribute("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")));
        return request.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The SP metadata of the tenant for one IdP: entity id, ACS (POST), SLO (Redirect), the published keys.</summary>
    public static string SpMetadata(SamlSpEndpoints sp, IEnumerable<SpKey> keys)
    {
        XNamespace md = MetadataNs, ds = DsigNs;
        var descriptor = new XElement(md + "SPSSODescriptor",
            new XAttribute("AuthnRequestsSigned", "true"), new XAttribute("WantAssertionsSigned", "true"),
            new XAttribute("protocolSupportEnumeration", ProtocolNs));
        foreach (var key in keys)
            foreach (var use in new[] { "signing", "encryption" })
                descriptor.Add(new XElement(md + "KeyDescriptor", new XAttribute("use", use),
                    new XElement(ds + "KeyInfo", new XElement(ds + "X509Data", new XElement(ds + "X509Certificate", PemBody(key.CertificatePem))))));
        descriptor.Add(new XElement(md + "SingleLogoutService", new XAttribute("Binding", RedirectBinding), new XAttribute("Location", sp.SloUrl)));
        descriptor.Add(new XElement(md + "NameIDFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"));
        descriptor.Add(new XElement(md + "AssertionConsumerService", new XAttribute("Binding", PostBinding),
            new XAttribute("Location", sp.AcsUrl), new XAttribute("index", "0"), new XAttribute("isDefault", "true")));
        var root = new XElement(md + "EntityDescriptor", new XAttribute(XNamespace.Xmlns + "md", MetadataNs),
            new XAttribute(XNamespace.Xmlns + "ds", DsigNs), new XAttribute("entityID", sp.EntityId), descriptor);
        return new XDeclaration("1.0", "utf-8", null) + "\n" + root.ToString(SaveOptions.DisableFormatting);
    }

    private static string PemBody(string pem) =>
        string.Concat(pem.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));

    /// <summary>Parses XML from outside safely: no DTD, no resolver, a size cap.</summary>
    public static XDocument ParseUntrusted(byte[] xml, int maxBytes)
    {
        if (xml.Length > maxBytes)
            throw new SamlValidationException(SamlRejection.TooLarge, "The document is too large.");
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = maxBytes,
            MaxCharactersFromEntities = 0, IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), settings);
            return XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new SamlValidationException(SamlRejection.DtdProhibited, e.Message);
        }
        catch (XmlException e)
        {
            throw new SamlValidationException(SamlRejection.Malformed, e.Message);
        }
    }

    /// <summary>The (unverified) InResponseTo of a Response — only to find which request to check it against.</summary>
    public static string? PeekInResponseTo(XDocument document) =>
        document.Root is { } root && root.Name == XName.Get("Response", ProtocolNs) ? (string?)root.Attribute("InResponseTo") : null;
}

/// <summary>IdP metadata (XML) → provider settings: entity id, SSO/SLO endpoints, signing certificates.</summary>
public static class SamlIdpMetadata
{
    public const int MaxBytes = 512 * 1024;

    /// <summary>Reads the IdP metadata into <paramref name="settings"/>; throws <see cref="FormatException"/> (technical) when unusable.</summary>
    public static SamlProviderSettings Apply(byte[] xml, SamlProviderSettings settings)
    {
        XDocument document;
        try { document = SamlProtocol.ParseUntrusted(xml, MaxBytes); }
        catch (SamlValidationException e) { throw new FormatException("The metadata is not well-formed XML: " + e.Message, e); }
        XNamespace md = SamlProtocol.MetadataNs, ds = SamlProtocol.DsigNs;
        var entity = document.Root?.Name == md + "EntityDescriptor" ? document.Root
            : document.Root?.Name == md + "EntitiesDescriptor" && document.Root.Elements(md + "EntityDescriptor").Count() == 1
                ? document.Root.Element(md + "EntityDescriptor") : null;
        if (entity is null)
            throw new FormatException("The metadata must hold exactly one EntityDescriptor.");
        var idp = entity.Elements(md + "IDPSSODescriptor").SingleOrDefault()
            ?? throw new FormatException("The metadata has no IDPSSODescriptor.");
        var entityId = (string?)entity.Attribute("entityID");
        if (string.IsNullOrWhiteSpace(entityId))
            throw new FormatException("The metadata has no entityID.");
        string? Endpoint(string element, string binding) => idp.Elements(md + element)
            .Where(e => (string?)e.Attribute("Binding") == binding).Select(e => (string?)e.Attribute("Location")).FirstOrDefault(IsHttpUrl);
        var redirect = Endpoint("SingleSignOnService", SamlProtocol.RedirectBinding);
        var post = Endpoint("SingleSignOnService", SamlProtocol.PostBinding);
        if (redirect is null && post is null)
            throw new FormatException("The metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.");
        var certificates = idp.Elements(md + "KeyDescriptor")
            .Where(k => (string?)k.Attribute("use") is null or "signing")
            .SelectMany(k => k.Descendants(ds + "X509Certificate"))
            .Select(c => Providers.SsoProviderStore.CertificatePem(c.Value) ?? throw new FormatException("A signing certificate of the metadata is unreadable."))
            .Distinct().ToList();
        if (certificates.Count == 0)
            throw new FormatException("The metadata has no signing certificate.");
        return settings with
        {
            IdpEntityId = entityId.Trim(), SsoUrl = redirect ?? post!, SsoBinding = redirect is not null ? "redirect" : "post",
            SloUrl = Endpoint("SingleLogoutService", SamlProtocol.RedirectBinding), SigningCertificates = certificates,
        };
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
