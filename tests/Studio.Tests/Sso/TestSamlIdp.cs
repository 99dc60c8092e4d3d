using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Web;
using System.Xml;

namespace Studio.Tests.Sso;

/// <summary>What an AuthnRequest sent over HTTP-Redirect said (decoded by the test IdP).</summary>
public sealed record ReceivedAuthnRequest(string Id, string Issuer, string AcsUrl, string Destination, string RawQuery, string Xml);

/// <summary>
/// A SAML identity provider for tests, built in code: its own RSA key and certificate; it reads our AuthnRequest from
/// the HTTP-Redirect URL and issues a Response whose assertion it signs (RSA-SHA256, exclusive c14n) like real IdPs do.
/// </summary>
public sealed class TestSamlIdp : IDisposable
{
    public TestSamlIdp(string entityId = "https://idp.example.test/saml")
    {
        EntityId = entityId;
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Test IdP", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public string EntityId { get; }
    public string SsoUrl => "https://idp.example.test/sso";
    public X509Certificate2 Certificate { get; }
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Decodes an HTTP-Redirect AuthnRequest URL (Location of our login endpoint's answer).</summary>
    public static ReceivedAuthnRequest ReadRedirect(Uri location)
    {
        var query = HttpUtility.ParseQueryString(location.Query);
        var compressed = Convert.FromBase64String(query["SAMLRequest"]!);
        using var inflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        var xml = reader.ReadToEnd();
        var document = new XmlDocument { XmlResolver = null };
        document.LoadXml(xml);
        var root = document.DocumentElement!;
        var issuer = root.GetElementsByTagName("Issuer", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!.InnerText;
        return new ReceivedAuthnRequest(root.GetAttribute("ID"), issuer, root.GetAttribute("AssertionConsumerServiceURL"),
            root.GetAttribute("Destination"), location.Query.TrimStart('?'), xml);
    }

    /// <summary>A signed Response (base64, as posted to the ACS) answering <paramref name="inResponseTo"/> (null: unsolicited).</summary>
    public string Response(string acsUrl, string audience, string? inResponseTo, string nameId, IDictionary<string, string[]>? attributes = null,
        string? assertionId = null, DateTime? now = null)
    {
        var t = now ?? DateTime.UtcNow;
        string Time(DateTime d) => d.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        assertionId ??= "_a" + Guid.NewGuid().ToString("N");
        var irt = inResponseTo is null ? "" : $" InResponseTo=\"{inResponseTo}\"";
        var attributeXml = new StringBuilder();
        if (attributes is not null)
        {
            attributeXml.Append("<saml:AttributeStatement>");
            foreach (var (name, values) in attributes)
            {
                attributeXml.Append($"<saml:Attribute Name=\"{Esc(name)}\">");
                foreach (var value in values)
                    attributeXml.Append($"<saml:AttributeValue>{Esc(value)}</saml:AttributeValue>");
                attributeXml.Append("</saml:Attribute>");
            }
            attributeXml.Append("</saml:AttributeStatement>");
        }
        var xml = $"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{Guid.NewGuid():N}" Version="2.0" IssueInstant="{Time(t)}" Destination="{Esc(acsUrl)}"{irt}><saml:Issuer>{Esc(EntityId)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="{assertionId}" Version="2.0" IssueInstant="{Time(t)}"><saml:Issuer>{Esc(EntityId)}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{Esc(nameId)}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{Time(t.AddMinutes(5))}" Recipient="{Esc(acsUrl)}"{irt}/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{Time(t.AddMinutes(-1))}" NotOnOrAfter="{Time(t.AddMinutes(5))}"><saml:AudienceRestriction><saml:Audience>{Esc(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{Time(t)}" SessionIndex="_s{Guid.NewGuid():N}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>{attributeXml}</saml:Assertion></samlp:Response>""";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(SignAssertion(xml, assertionId)));
    }

    private string SignAssertion(string xml, string assertionId)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        var assertion = (XmlElement)document.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!;
        using var rsa = Certificate.GetRSAPrivateKey()!;
        var signed = new SignedXml(assertion) { SigningKey = rsa };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + assertionId) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        var info = new KeyInfo();
        info.AddClause(new KeyInfoX509Data(Certificate));
        signed.KeyInfo = info;
        signed.ComputeSignature();
        var issuer = assertion.GetElementsByTagName("Issuer", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!;
        assertion.InsertAfter(document.ImportNode(signed.GetXml(), true), issuer);
        return document.OuterXml;
    }

    private static string Esc(string value) => System.Security.SecurityElement.Escape(value)!;

    public void Dispose() => Certificate.Dispose();
}
