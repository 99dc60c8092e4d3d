using System.Text;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Saml;

namespace Studio.Tests.Sso;

/// <summary>The one IdP metadata reader (pasted, uploaded or fetched): every unusable document is a FormatException, never another exception.</summary>
public sealed class SamlIdpMetadataTests
{
    private static string Metadata(string certificate, string sso = """<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>""") => $"""
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example/metadata">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            {sso}
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;

    private static string ValidCertificateBase64()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=idp", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return Convert.ToBase64String(certificate.RawData);
    }

    [Fact]
    public void Good_metadata_gives_the_entity_id_endpoint_and_certificate()
    {
        var settings = SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes(Metadata(ValidCertificateBase64())), new SamlProviderSettings());
        Assert.Equal("https://idp.example/metadata", settings.IdpEntityId);
        Assert.Equal("https://idp.example/sso", settings.SsoUrl);
        Assert.Equal("redirect", settings.SsoBinding);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", Assert.Single(settings.SigningCertificates));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("QUJDREVGRw==")] // base64, but not a certificate
    public void An_unreadable_certificate_is_a_format_error(string certificate) =>
        Assert.Throws<FormatException>(() => SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes(Metadata(certificate)), new SamlProviderSettings()));

    [Fact]
    public void Metadata_without_a_sign_in_endpoint_or_with_a_dtd_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes(Metadata(ValidCertificateBase64(), sso: "")), new SamlProviderSettings()));
        Assert.Throws<FormatException>(() => SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes(
            "<!DOCTYPE x [<!ENTITY a \"b\">]>" + Metadata(ValidCertificateBase64())), new SamlProviderSettings()));
    }
}
