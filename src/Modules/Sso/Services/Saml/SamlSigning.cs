using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using static Studio.Modules.Sso.Services.Saml.SamlXml;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>A verified HTTP-Redirect message: the inflated XML and the RelayState.</summary>
public sealed record SamlRedirectMessage(string ParameterName, string Xml, string? RelayState);

/// <summary>
/// Signing for the SP's outgoing messages and the HTTP-Redirect binding: XML signatures (enveloped, exclusive c14n,
/// RSA-SHA256, placed after the Issuer as the schema wants) and redirect query strings (deflate → base64 → URL-encode,
/// RSA-SHA256 over <c>SAMLRequest=…&amp;RelayState=…&amp;SigAlg=…</c>), plus the inbound redirect check for logout.
/// </summary>
public static class SamlSigning
{
    /// <summary>Largest inflated redirect message accepted.</summary>
    public const int MaxInflatedBytes = 64 * 1024;
    /// <summary>Largest RelayState accepted (SAML bindings: 80 bytes SHOULD; we allow some slack).</summary>
    public const int MaxRelayStateLength = 1024;

    /// <summary>Signs <paramref name="element"/> (it must carry an <c>ID</c>) with an enveloped signature, inserted after its Issuer.</summary>
    public static void SignElement(XmlElement element, X509Certificate2 certificate, string signatureMethod = RsaSha256, string digestMethod = Sha256)
    {
        var id = Attr(element, "ID") ?? throw new ArgumentException("The element has no ID attribute.", nameof(element));
        using var key = certificate.GetRSAPrivateKey() ?? throw new ArgumentException("The certificate has no RSA private key.", nameof(certificate));
        var signedXml = new IdSignedXml(element, id) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = ExcC14n;
        signedXml.SignedInfo.SignatureMethod = signatureMethod;
        var reference = new Reference("#" + id) { DigestMethod = digestMethod };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();
        var signature = (XmlElement)element.OwnerDocument.ImportNode(signedXml.GetXml(), deep: true);
        var issuer = Child(element, AssertionNs, "Issuer");
        if (issuer is not null)
            element.InsertAfter(signature, issuer);
        else
            element.PrependChild(signature);
    }

    /// <summary>deflate (raw, RFC 1951) → base64, as the HTTP-Redirect binding carries a message.</summary>
    public static string DeflateBase64(string xml)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>base64 → inflate, capped at <paramref name="maxBytes"/>.</summary>
    /// <exception cref="FormatException">Not base64, not deflate, or over the cap.</exception>
    public static string InflateBase64(string value, int maxBytes = MaxInflatedBytes)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new FormatException("The message is not base64.");
        }
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = deflate.Read(chunk)) > 0)
            {
                if (output.Length + read > maxBytes)
                    throw new FormatException("The inflated message is over the size cap.");
                output.Write(chunk, 0, read);
            }
            return Encoding.UTF8.GetString(output.ToArray());
        }
        catch (InvalidDataException)
        {
            throw new FormatException("The message is not deflate-compressed.");
        }
    }

    /// <summary>
    /// The query string (no leading '?') of a signed HTTP-Redirect message: <paramref name="parameterName"/> is
    /// "SAMLRequest" or "SAMLResponse"; the signature covers the encoded parameters in binding order.
    /// </summary>
    public static string SignedRedirectQuery(string parameterName, string xml, string? relayState, X509Certificate2 certificate, string signatureMethod = RsaSha256)
    {
        if (parameterName is not ("SAMLRequest" or "SAMLResponse"))
            throw new ArgumentException("SAMLRequest or SAMLResponse.", nameof(parameterName));
        var signed = parameterName + "=" + Uri.EscapeDataString(DeflateBase64(xml));
        if (!string.IsNullOrEmpty(relayState))
            signed += "&RelayState=" + Uri.EscapeDataString(relayState);
        signed += "&SigAlg=" + Uri.EscapeDataString(signatureMethod);
        using var key = certificate.GetRSAPrivateKey() ?? throw new ArgumentException("The certificate has no RSA private key.", nameof(certificate));
        var signature = key.SignData(Encoding.UTF8.GetBytes(signed), HashFor(signatureMethod), RSASignaturePadding.Pkcs1);
        return signed + "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));
    }

    /// <summary>The query string of an unsigned HTTP-Redirect message.</summary>
    public static string RedirectQuery(string parameterName, string xml, string? relayState) =>
        parameterName + "=" + Uri.EscapeDataString(DeflateBase64(xml))
        + (string.IsNullOrEmpty(relayState) ? "" : "&RelayState=" + Uri.EscapeDataString(relayState));

    /// <summary>
    /// Verifies a signed inbound HTTP-Redirect message over the RAW (still encoded) query values, in the order
    /// SAMLRequest/SAMLResponse, RelayState, SigAlg; refuses duplicate parameters, both or neither message
    /// parameter, a missing or non-allow-listed SigAlg, an oversized RelayState or inflated message; verifies only
    /// with <paramref name="certificates"/>.
    /// </summary>
    /// <exception cref="SamlValidationException">The reason for the audit.</exception>
    public static SamlRedirectMessage VerifyRedirectQuery(string rawQuery, IReadOnlyList<X509Certificate2> certificates, bool allowSha1 = false)
    {
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            if (name is not ("SAMLRequest" or "SAMLResponse" or "RelayState" or "SigAlg" or "Signature"))
                continue;
            if (!raw.TryAdd(name, eq < 0 ? "" : part[(eq + 1)..]))
                throw new SamlValidationException(SamlRejection.Malformed, $"The parameter {name} occurs more than once.");
        }
        var hasRequest = raw.ContainsKey("SAMLRequest");
        if (hasRequest == raw.ContainsKey("SAMLResponse"))
            throw new SamlValidationException(SamlRejection.Malformed, "Exactly one of SAMLRequest and SAMLResponse is required.");
        var parameterName = hasRequest ? "SAMLRequest" : "SAMLResponse";
        if (!raw.TryGetValue("SigAlg", out var sigAlgRaw) || !raw.TryGetValue("Signature", out var signatureRaw))
            throw new SamlValidationException(SamlRejection.NotSigned, "The redirect message is not signed.");
        var sigAlg = Decode(sigAlgRaw);
        if (!(sigAlg is RsaSha256 or RsaSha384 or RsaSha512 || allowSha1 && sigAlg == RsaSha1))
            throw new SamlValidationException(SamlRejection.WeakAlgorithm, $"SigAlg '{sigAlg}' is not allowed.");
        string? relayState = null;
        var signed = parameterName + "=" + raw[parameterName];
        if (raw.TryGetValue("RelayState", out var relayRaw))
        {
            relayState = Decode(relayRaw);
            if (relayState.Length > MaxRelayStateLength)
                throw new SamlValidationException(SamlRejection.TooLarge, "RelayState is too long.");
            signed += "&RelayState=" + relayRaw;
        }
        signed += "&SigAlg=" + sigAlgRaw;

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Decode(signatureRaw));
        }
        catch (FormatException)
        {
            throw new SamlValidationException(SamlRejection.Malformed, "The signature is not base64.");
        }
        var data = Encoding.UTF8.GetBytes(signed);
        var verified = certificates.Any(certificate =>
        {
            using var key = certificate.GetRSAPublicKey();
            return key is not null && key.VerifyData(data, signature, HashFor(sigAlg), RSASignaturePadding.Pkcs1);
        });
        if (!verified)
            throw new SamlValidationException(SamlRejection.SignatureInvalid, "The redirect signature does not verify with the IdP's certificates.");

        string xml;
        try
        {
            xml = InflateBase64(Decode(raw[parameterName]));
        }
        catch (FormatException e)
        {
            throw new SamlValidationException(SamlRejection.Malformed, e.Message);
        }
        return new SamlRedirectMessage(parameterName, xml, relayState);
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static HashAlgorithmName HashFor(string signatureMethod) => signatureMethod switch
    {
        RsaSha256 => HashAlgorithmName.SHA256,
        RsaSha384 => HashAlgorithmName.SHA384,
        RsaSha512 => HashAlgorithmName.SHA512,
        RsaSha1 => HashAlgorithmName.SHA1,
        _ => throw new ArgumentException($"Unsupported signature method '{signatureMethod}'.", nameof(signatureMethod)),
    };

    /// <summary>SignedXml resolving only the id it signs.</summary>
    private sealed class IdSignedXml : SignedXml
    {
        private readonly XmlElement _element;
        private readonly string _id;

        public IdSignedXml(XmlElement element, string id) : base(element)
        {
            _element = element;
            _id = id;
        }

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) => idValue == _id ? _element : null;
    }
}
