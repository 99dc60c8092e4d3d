using System.Xml;
using Microsoft.Extensions.Localization;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>What an IdP's SAML metadata says about signing in.</summary>
public sealed record IdpMetadata(string EntityId, string SsoUrl, string SsoBinding, string? SloUrl, IReadOnlyList<string> SigningCertificates);

/// <summary>
/// Reads an identity provider's SAML metadata pasted or uploaded by a tenant admin: a safe reader (no DTD, no
/// external resolution, size-capped), the first IDPSSODescriptor, its HTTP-Redirect (else HTTP-POST) SSO and SLO
/// endpoints and its signing certificates. Anything unreadable is a localized <see cref="SsoValidationException"/>.
/// </summary>
public static class IdpMetadataReader
{
    public const int MaxBytes = 1024 * 1024;
    private const string Md = "urn:oasis:names:tc:SAML:2.0:metadata", Ds = "http://www.w3.org/2000/09/xmldsig#";
    private const string Redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", Post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    public static IdpMetadata Read(string xml, IStringLocalizer localizer)
    {
        var unreadable = localizer["The metadata could not be read: give the identity provider's SAML 2.0 metadata XML."];
        if (string.IsNullOrWhiteSpace(xml) || System.Text.Encoding.UTF8.GetByteCount(xml) > MaxBytes)
            throw new SsoValidationException(unreadable, "Metadata");
        var document = new XmlDocument { PreserveWhitespace = false, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes, IgnoreComments = true,
            });
            document.Load(reader);
        }
        catch (XmlException)
        {
            throw new SsoValidationException(unreadable, "Metadata");
        }
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("md", Md);
        ns.AddNamespace("ds", Ds);
        var root = document.DocumentElement;
        var entity = root?.LocalName == "EntityDescriptor" && root.NamespaceURI == Md ? root : root?.SelectSingleNode("md:EntityDescriptor[md:IDPSSODescriptor]", ns) as XmlElement;
        var idp = entity?.SelectSingleNode("md:IDPSSODescriptor", ns) as XmlElement;
        var entityId = entity?.GetAttribute("entityID").Trim();
        if (entity is null || idp is null || string.IsNullOrEmpty(entityId))
            throw new SsoValidationException(localizer["The metadata describes no SAML identity provider (IDPSSODescriptor)."], "Metadata");
        (string Url, string Binding)? Endpoint(string element)
        {
            foreach (var binding in new[] { Redirect, Post })
                if (idp.SelectSingleNode($"md:{element}[@Binding='{binding}']", ns) is XmlElement e && e.GetAttribute("Location").Trim() is { Length: > 0 } location)
                    return (location, binding == Redirect ? "redirect" : "post");
            return null;
        }
        var sso = Endpoint("SingleSignOnService") ?? throw new SsoValidationException(localizer["The metadata has no HTTP-Redirect or HTTP-POST sign-in endpoint."], "Metadata");
        var certificates = new List<string>();
        foreach (XmlElement key in idp.SelectNodes("md:KeyDescriptor[not(@use) or @use='signing']", ns)!)
            foreach (XmlElement certificate in key.SelectNodes(".//ds:X509Certificate", ns)!)
                if (SsoProviderStore.CertificatePem(certificate.InnerText) is { } pem && !certificates.Contains(pem))
                    certificates.Add(pem);
        if (certificates.Count == 0)
            throw new SsoValidationException(localizer["The metadata has no signing certificate."], "Metadata");
        return new IdpMetadata(entityId, sso.Url, sso.Binding, Endpoint("SingleLogoutService")?.Url, certificates);
    }
}
