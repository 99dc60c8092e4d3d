using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Studio.Modules.Sso.Services.Saml;

namespace Studio.Tests.Sso;

/// <summary>
/// Builds real signed SAML Responses in code (an in-test IdP with its own key pair), for the validator's corpus and
/// for ACS round trips: set the fields, <see cref="Build"/>, then mutate the document as an attacker would.
/// </summary>
internal sealed class SamlTestIdp
{
    private static readonly Lazy<X509Certificate2> IdpCertificate = new(() => NewCertificate("CN=Test IdP"));
    private static readonly Lazy<X509Certificate2> AttackerCertificate = new(() => NewCertificate("CN=Test IdP"));
    private static readonly Lazy<X509Certificate2> SpCertificate = new(() => NewCertificate("CN=Test SP"));

    /// <summary>The IdP's signing certificate (with private key).</summary>
    public static X509Certificate2 IdpCert => IdpCertificate.Value;
    /// <summary>An attacker's self-signed certificate with the same subject as the IdP's.</summary>
    public static X509Certificate2 AttackerCert => AttackerCertificate.Value;
    /// <summary>The SP's encryption certificate (with private key).</summary>
    public static X509Certificate2 SpCert => SpCertificate.Value;

    public static X509Certificate2 NewCertificate(string subject)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        // Through PKCS#12 so the key is usable on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
    }

    public static readonly DateTime Now = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    public string IdpEntityId { get; set; } = "https://idp.example.org/saml";
    public string SpEntityId { get; set; } = "https://studio.test/sso/saml/sp";
    public string AcsUrl { get; set; } = "https://a.studio.test/sso/saml/1/acs";
    public string RequestId { get; set; } = "_req-4b1d";
    public string ResponseId { get; set; } = "_resp-" + Guid.NewGuid().ToString("N");
    public string AssertionId { get; set; } = "_assert-" + Guid.NewGuid().ToString("N");
    public string Version { get; set; } = "2.0";
    public string? Destination { get; set; }
    public string? ResponseIssuer { get; set; }
    public string? AssertionIssuer { get; set; }
    public string? ResponseInResponseTo { get; set; }
    public string? ConfirmationInResponseTo { get; set; }
    public string? Recipient { get; set; }
    public string ConfirmationMethod { get; set; } = SamlXml.BearerMethod;
    public string Status { get; set; } = SamlXml.StatusSuccess;
    public string NameId { get; set; } = "alice@bigstudio.com";
    public DateTime NotBefore { get; set; } = Now.AddMinutes(-1);
    public DateTime NotOnOrAfter { get; set; } = Now.AddMinutes(5);
    public List<List<string>>? AudienceRestrictions { get; set; }
    public bool IncludeAuthnStatement { get; set; } = true;
    public bool OmitInResponseTo { get; set; }
    public Dictionary<string, string[]> Attributes { get; set; } = new()
    {
        ["email"] = ["alice@bigstudio.com"],
        ["groups"] = ["engineers", "studio-admins"],
    };

    /// <summary>The context the SP would validate this IdP's responses with.</summary>
    public SamlValidationContext Context(Func<SamlValidationContext, SamlValidationContext>? change = null)
    {
        var context = new SamlValidationContext
        {
            IdpEntityId = IdpEntityId, IdpSigningCertificates = [IdpCert], SpEntityId = SpEntityId, AcsUrl = AcsUrl,
            ExpectedInResponseTo = RequestId, NowUtc = Now,
        };
        return change is null ? context : change(context);
    }

    /// <summary>The unsigned Response XML.</summary>
    public string Xml()
    {
        var inResponseTo = OmitInResponseTo ? "" : $" InResponseTo=\"{E(ResponseInResponseTo ?? RequestId)}\"";
        var confirmationInResponseTo = OmitInResponseTo ? "" : $" InResponseTo=\"{E(ConfirmationInResponseTo ?? RequestId)}\"";
        var audiences = string.Concat((AudienceRestrictions ?? [[SpEntityId]]).Select(r =>
            "<saml:AudienceRestriction>" + string.Concat(r.Select(a => $"<saml:Audience>{E(a)}</saml:Audience>")) + "</saml:AudienceRestriction>"));
        var attributes = string.Concat(Attributes.Select(a =>
            $"<saml:Attribute Name=\"{E(a.Key)}\">" + string.Concat(a.Value.Select(v => $"<saml:AttributeValue>{E(v)}</saml:AttributeValue>")) + "</saml:Attribute>"));
        var authn = IncludeAuthnStatement
            ? $"<saml:AuthnStatement AuthnInstant=\"{I(Now.AddMinutes(-1))}\" SessionIndex=\"_session-1\"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            : "";
        return
            $"<samlp:Response xmlns:samlp=\"{SamlXml.ProtocolNs}\" xmlns:saml=\"{SamlXml.AssertionNs}\" ID=\"{E(ResponseId)}\" Version=\"{E(Version)}\" IssueInstant=\"{I(Now)}\" Destination=\"{E(Destination ?? AcsUrl)}\"{inResponseTo}>" +
            $"<saml:Issuer>{E(ResponseIssuer ?? IdpEntityId)}</saml:Issuer>" +
            $"<samlp:Status><samlp:StatusCode Value=\"{E(Status)}\"/></samlp:Status>" +
            $"<saml:Assertion xmlns:saml=\"{SamlXml.AssertionNs}\" ID=\"{E(AssertionId)}\" Version=\"{E(Version)}\" IssueInstant=\"{I(Now)}\">" +
            $"<saml:Issuer>{E(AssertionIssuer ?? IdpEntityId)}</saml:Issuer>" +
            $"<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">{E(NameId)}</saml:NameID>" +
            $"<saml:SubjectConfirmation Method=\"{E(ConfirmationMethod)}\"><saml:SubjectConfirmationData NotOnOrAfter=\"{I(NotOnOrAfter)}\" Recipient=\"{E(Recipient ?? AcsUrl)}\"{confirmationInResponseTo}/></saml:SubjectConfirmation></saml:Subject>" +
            $"<saml:Conditions NotBefore=\"{I(NotBefore)}\" NotOnOrAfter=\"{I(NotOnOrAfter)}\">{audiences}</saml:Conditions>" +
            authn +
            (attributes.Length == 0 ? "" : $"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>") +
            "</saml:Assertion></samlp:Response>";
    }

    /// <summary>The Response as a document, the assertion and/or the response signed by <paramref name="signer"/> (the IdP by default).</summary>
    public XmlDocument Build(bool signAssertion = true, bool signResponse = false, X509Certificate2? signer = null,
        string signatureMethod = SamlXml.RsaSha256, string digestMethod = SamlXml.Sha256)
    {
        var document = Load(Xml());
        if (signAssertion)
            SamlSigning.SignElement(Assertion(document), signer ?? IdpCert, signatureMethod, digestMethod);
        if (signResponse)
            SamlSigning.SignElement(document.DocumentElement!, signer ?? IdpCert, signatureMethod, digestMethod);
        return document;
    }

    /// <summary>The document's bytes as an ACS would receive them (after base64 decoding).</summary>
    public static byte[] Bytes(XmlDocument document) => Encoding.UTF8.GetBytes(document.OuterXml);

    public static XmlDocument Load(string xml)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(xml);
        return document;
    }

    public static XmlNamespaceManager Ns(XmlDocument document)
    {
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("samlp", SamlXml.ProtocolNs);
        ns.AddNamespace("saml", SamlXml.AssertionNs);
        ns.AddNamespace("ds", SamlXml.DsigNs);
        ns.AddNamespace("xenc", SamlXml.XencNs);
        return ns;
    }

    public static XmlElement Assertion(XmlDocument document) =>
        (XmlElement)document.SelectSingleNode("/samlp:Response/saml:Assertion", Ns(document))!;

    public static XmlElement Select(XmlNode node, string xpath) =>
        (XmlElement)node.SelectSingleNode(xpath, Ns(node as XmlDocument ?? node.OwnerDocument!))!;

    /// <summary>
    /// Replaces the (signed) assertion with an EncryptedAssertion for <paramref name="recipient"/>: AES-GCM or
    /// AES-CBC content, RSA-OAEP key transport, as IdPs encrypt.
    /// </summary>
    public static void EncryptAssertion(XmlDocument document, X509Certificate2 recipient, bool gcm = true, string keyTransport = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p")
    {
        var assertion = Assertion(document);
        var plain = Encoding.UTF8.GetBytes(assertion.OuterXml);
        var key = RandomNumberGenerator.GetBytes(32);
        byte[] cipher;
        string algorithm;
        if (gcm)
        {
            var nonce = RandomNumberGenerator.GetBytes(12);
            var encrypted = new byte[plain.Length];
            var tag = new byte[16];
            using (var aes = new AesGcm(key, 16))
                aes.Encrypt(nonce, plain, encrypted, tag);
            cipher = [.. nonce, .. encrypted, .. tag];
            algorithm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
        }
        else
        {
            var iv = RandomNumberGenerator.GetBytes(16);
            using var aes = Aes.Create();
            aes.Key = key;
            var pad = 16 - plain.Length % 16;
            var padded = new byte[plain.Length + pad];
            plain.CopyTo(padded, 0);
            padded[^1] = (byte)pad;
            cipher = [.. iv, .. aes.EncryptCbc(padded, iv, PaddingMode.None)];
            algorithm = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
        }
        using var rsa = recipient.GetRSAPublicKey()!;
        var wrapped = rsa.Encrypt(key, keyTransport.EndsWith("1_5", StringComparison.Ordinal) ? RSAEncryptionPadding.Pkcs1 : RSAEncryptionPadding.OaepSHA1);
        var xml =
            $"<saml:EncryptedAssertion xmlns:saml=\"{SamlXml.AssertionNs}\"><xenc:EncryptedData xmlns:xenc=\"{SamlXml.XencNs}\" Type=\"http://www.w3.org/2001/04/xmlenc#Element\">" +
            $"<xenc:EncryptionMethod Algorithm=\"{algorithm}\"/>" +
            $"<ds:KeyInfo xmlns:ds=\"{SamlXml.DsigNs}\"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm=\"{keyTransport}\"/>" +
            $"<xenc:CipherData><xenc:CipherValue>{Convert.ToBase64String(wrapped)}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo>" +
            $"<xenc:CipherData><xenc:CipherValue>{Convert.ToBase64String(cipher)}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>";
        var fragment = Load(xml).DocumentElement!;
        assertion.ParentNode!.ReplaceChild(document.ImportNode(fragment, true), assertion);
    }

    private static string E(string value) => System.Security.SecurityElement.Escape(value)!;
    private static string I(DateTime value) => SamlXml.FormatInstant(value);
}
