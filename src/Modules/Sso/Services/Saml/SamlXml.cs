using System.Globalization;
using System.Text;
using System.Xml;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>SAML namespaces, algorithm identifiers and the safe XML helpers every inbound SAML document goes through.</summary>
public static class SamlXml
{
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string DsigNs = "http://www.w3.org/2000/09/xmldsig#";
    public const string XencNs = "http://www.w3.org/2001/04/xmlenc#";
    public const string StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

    public const string RsaSha1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    public const string RsaSha384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
    public const string RsaSha512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
    public const string Sha1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    public const string Sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public const string Sha384 = "http://www.w3.org/2001/04/xmldsig-more#sha384";
    public const string Sha512 = "http://www.w3.org/2001/04/xmlenc#sha512";
    public const string ExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    public const string ExcC14nWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    public const string Enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

    /// <summary>
    /// Parses an inbound document: DTDs prohibited (no entity expansion), no resolver (nothing fetched), a character cap,
    /// whitespace and comments preserved (a signature covers them; text is read with <see cref="Text"/>).
    /// </summary>
    /// <exception cref="XmlException">Not well-formed, a DTD, or over the cap.</exception>
    public static XmlDocument Load(byte[] xml, int maxBytes)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = Math.Max(1, maxBytes),
            MaxCharactersFromEntities = 1024,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            IgnoreWhitespace = false,
            CloseInput = true,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), settings);
        document.Load(reader);
        return document;
    }

    /// <summary>True when the raw bytes carry a document type declaration (to report it as such, not as malformed XML).</summary>
    public static bool HasDoctype(byte[] xml)
    {
        var text = Encoding.UTF8.GetString(xml);
        return text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || text.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The text of an element: ALL its text nodes concatenated (comments skipped, never truncated at one — the
    /// comment-injection trick), trimmed. Null when the element has child elements (a value is never markup).
    /// </summary>
    public static string? Text(XmlElement? element)
    {
        if (element is null)
            return null;
        var builder = new StringBuilder();
        foreach (XmlNode child in element.ChildNodes)
        {
            switch (child.NodeType)
            {
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    builder.Append(child.Value);
                    break;
                case XmlNodeType.Element:
                    return null;
            }
        }
        return builder.ToString().Trim();
    }

    /// <summary>The element children of <paramref name="parent"/> with this namespace and local name (direct children only).</summary>
    public static IEnumerable<XmlElement> Children(XmlNode parent, string ns, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == ns);

    public static XmlElement? Child(XmlNode parent, string ns, string localName) => Children(parent, ns, localName).FirstOrDefault();

    /// <summary>An attribute without namespace, exactly as named (null when absent).</summary>
    public static string? Attr(XmlElement element, string name) =>
        element.Attributes[name] is { } a && a.NamespaceURI.Length == 0 ? a.Value : null;

    /// <summary>An xs:dateTime as UTC.</summary>
    /// <exception cref="FormatException">Not an xs:dateTime.</exception>
    public static DateTime ParseInstant(string value)
    {
        if (!DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant)
            || !value.Contains('T'))
            throw new FormatException($"'{value}' is not an xs:dateTime.");
        return DateTime.SpecifyKind(instant, DateTimeKind.Utc);
    }

    /// <summary>An instant as SAML writes it (UTC, second precision, 'Z').</summary>
    public static string FormatInstant(DateTime utc) =>
        utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
