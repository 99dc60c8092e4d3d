using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using static Studio.Modules.Sso.Services.Saml.SamlXml;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>
/// Validates a SAML 2.0 Response on System.Security.Cryptography.Xml without falling into its defaults: safe parsing,
/// a strict ID lookup, one Reference to the signature's parent, allow-listed algorithms and transforms, verification
/// only with the configured certificates, exactly one assertion (a direct child of the Response, found nowhere else),
/// claims read only from that verified element with all its text nodes. See shared/design/sso.md.
/// </summary>
public sealed class SamlResponseValidator : ISamlResponseValidator
{
    private static readonly HashSet<string> SignatureMethods = [RsaSha256, RsaSha384, RsaSha512];
    private static readonly HashSet<string> DigestMethods = [Sha256, Sha384, Sha512];
    private static readonly HashSet<string> Canonicalizations = [ExcC14n, ExcC14nWithComments];
    private static readonly HashSet<string> Transforms = [Enveloped, ExcC14n, ExcC14nWithComments];

    public SamlAssertion Validate(byte[] responseXml, SamlValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(responseXml);
        ArgumentNullException.ThrowIfNull(context);
        if (responseXml.Length == 0)
            throw Reject(SamlRejection.Malformed, "The response is empty.");
        if (responseXml.Length > context.MaxResponseBytes)
            throw Reject(SamlRejection.TooLarge, $"The response has {responseXml.Length} bytes (cap {context.MaxResponseBytes}).");
        if (HasDoctype(responseXml))
            throw Reject(SamlRejection.DtdProhibited, "The response carries a document type declaration.");

        XmlDocument document;
        try
        {
            document = Load(responseXml, context.MaxResponseBytes);
        }
        catch (XmlException e)
        {
            throw Reject(e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase) ? SamlRejection.DtdProhibited : SamlRejection.Malformed,
                "The response is not well-formed XML: " + e.Message);
        }

        var response = document.DocumentElement;
        if (response is null || response.LocalName != "Response" || response.NamespaceURI != ProtocolNs)
            throw Reject(SamlRejection.Malformed, "The document element is not samlp:Response.");
        if (Attr(response, "Version") != "2.0")
            throw Reject(SamlRejection.UnsupportedVersion, $"Response Version '{Attr(response, "Version")}' is not 2.0.");
        if (string.IsNullOrEmpty(Attr(response, "ID")))
            throw Reject(SamlRejection.Malformed, "The Response has no ID.");

        CheckIds(document);

        // Envelope checks (before the assertion: an error status carries none).
        if (Attr(response, "Destination") != context.AcsUrl)
            throw Reject(SamlRejection.WrongDestination, $"Destination '{Attr(response, "Destination")}' is not this ACS URL.");
        var responseIssuer = Child(response, AssertionNs, "Issuer");
        if (responseIssuer is not null && Text(responseIssuer) != context.IdpEntityId)
            throw Reject(SamlRejection.WrongIssuer, $"Response Issuer '{Text(responseIssuer)}' is not the IdP.");
        CheckInResponseTo(Attr(response, "InResponseTo"), context, "Response");

        var status = Child(response, ProtocolNs, "Status");
        var statusCode = status is null ? null : Child(status, ProtocolNs, "StatusCode");
        var statusValue = statusCode is null ? null : Attr(statusCode, "Value");
        if (statusValue != StatusSuccess)
        {
            var sub = statusCode is null ? null : Child(statusCode, ProtocolNs, "StatusCode") is { } s ? Attr(s, "Value") : null;
            throw Reject(SamlRejection.StatusNotSuccess, $"Status '{statusValue}'{(sub is null ? "" : $" / '{sub}'")}.");
        }

        CheckStructure(document, response);

        // The response's own signature (over what was received, encrypted assertion included).
        var responseSigned = VerifyEnvelopedSignature(response, context);

        var assertion = Children(response, AssertionNs, "Assertion").SingleOrDefault();
        if (assertion is null)
        {
            var encrypted = Children(response, AssertionNs, "EncryptedAssertion").Single();
            assertion = Decrypt(encrypted, context);
            CheckIds(document);
        }
        var assertionSigned = VerifyEnvelopedSignature(assertion, context);

        var signedEnough = context.RequireSigned switch
        {
            "response" => responseSigned,
            "either" => responseSigned || assertionSigned,
            _ => assertionSigned,
        };
        if (!signedEnough)
            throw Reject(SamlRejection.NotSigned, $"The {(context.RequireSigned == "either" ? "response or assertion" : context.RequireSigned ?? "assertion")} is not signed.");

        return ReadAssertion(assertion, context);
    }

    /// <summary>
    /// ID attributes: every value unique across ID/Id/id (the names SignedXml resolves), and never a lowercase or
    /// mixed-case ID on a SAML element (a parser-differential trick).
    /// </summary>
    private static void CheckIds(XmlDocument document)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var element in document.SelectNodes("//*")!.OfType<XmlElement>())
        {
            foreach (XmlAttribute attribute in element.Attributes)
            {
                var isIdName = attribute.NamespaceURI.Length == 0 && attribute.LocalName is "ID" or "Id" or "id"
                               || attribute is { LocalName: "id", NamespaceURI: "http://www.w3.org/XML/1998/namespace" };
                if (!isIdName)
                    continue;
                if ((element.NamespaceURI is ProtocolNs or AssertionNs) && attribute.Name != "ID")
                    throw Reject(SamlRejection.DuplicateId, $"<{element.Name}> has an '{attribute.Name}' attribute (only 'ID' is a SAML id).");
                if (!seen.Add(attribute.Value))
                    throw Reject(SamlRejection.DuplicateId, $"The id '{attribute.Value}' occurs more than once.");
            }
        }
    }

    /// <summary>One Response, exactly one (possibly encrypted) assertion in the whole document and it is a direct child of the Response; signatures only directly under those.</summary>
    private static void CheckStructure(XmlDocument document, XmlElement response)
    {
        var all = document.SelectNodes("//*")!.OfType<XmlElement>().ToList();
        if (all.Count(e => e.NamespaceURI == ProtocolNs && e.LocalName == "Response") != 1)
            throw Reject(SamlRejection.Malformed, "The document holds more than one Response.");
        var assertions = all.Where(e => e.NamespaceURI == AssertionNs && e.LocalName is "Assertion" or "EncryptedAssertion").ToList();
        if (assertions.Count != 1 || assertions[0].ParentNode != response)
            throw Reject(SamlRejection.AssertionCount, $"Expected exactly one assertion as a direct child of the Response, found {assertions.Count} in the document.");
        foreach (var signature in all.Where(e => e.NamespaceURI == DsigNs && e.LocalName == "Signature"))
        {
            if (signature.ParentNode != response && signature.ParentNode != assertions[0])
                throw Reject(SamlRejection.BadReference, $"A signature sits under <{signature.ParentNode?.Name}>, not directly under the Response or the Assertion.");
        }
    }

    private static void CheckInResponseTo(string? value, SamlValidationContext context, string where)
    {
        if (context.ExpectedInResponseTo is { } expected)
        {
            if (value != expected)
                throw Reject(SamlRejection.InResponseToMismatch, $"{where} InResponseTo '{value}' is not the request '{expected}'.");
        }
        else if (!context.AllowUnsolicited)
            throw Reject(SamlRejection.Unsolicited, "An unsolicited response, and this IdP may not send them.");
        else if (value is not null)
            throw Reject(SamlRejection.InResponseToMismatch, $"{where} answers a request '{value}' this sign-in did not make.");
    }

    /// <summary>
    /// Verifies the ds:Signature that is a direct child of <paramref name="element"/>: false when there is none,
    /// true when it verifies with a configured certificate, otherwise a rejection (a bad signature is never ignored).
    /// </summary>
    private static bool VerifyEnvelopedSignature(XmlElement element, SamlValidationContext context)
    {
        var signatures = Children(element, DsigNs, "Signature").ToList();
        if (signatures.Count == 0)
            return false;
        if (signatures.Count > 1)
            throw Reject(SamlRejection.BadReference, $"<{element.Name}> carries more than one signature.");
        var signature = signatures[0];
        var id = Attr(element, "ID");
        if (string.IsNullOrEmpty(id))
            throw Reject(SamlRejection.BadReference, $"The signed <{element.Name}> has no ID.");

        var signedInfo = Child(signature, DsigNs, "SignedInfo") ?? throw Reject(SamlRejection.Malformed, "The signature has no SignedInfo.");
        var c14n = Child(signedInfo, DsigNs, "CanonicalizationMethod") is { } c ? Attr(c, "Algorithm") : null;
        if (c14n is null || !Canonicalizations.Contains(c14n))
            throw Reject(SamlRejection.DisallowedTransform, $"Canonicalization '{c14n}' is not allowed.");
        var signatureMethod = Child(signedInfo, DsigNs, "SignatureMethod") is { } sm ? Attr(sm, "Algorithm") : null;
        if (signatureMethod is null || !(SignatureMethods.Contains(signatureMethod) || context.AllowSha1 && signatureMethod == RsaSha1))
            throw Reject(SamlRejection.WeakAlgorithm, $"SignatureMethod '{signatureMethod}' is not allowed.");

        var references = Children(signedInfo, DsigNs, "Reference").ToList();
        if (references.Count != 1)
            throw Reject(SamlRejection.BadReference, $"The signature has {references.Count} references (exactly one is allowed).");
        var reference = references[0];
        if (Attr(reference, "URI") != "#" + id)
            throw Reject(SamlRejection.BadReference, $"The reference '{Attr(reference, "URI")}' is not '#{id}', the signature's parent.");
        if (Child(reference, DsigNs, "Transforms") is { } transforms)
        {
            // Enveloped + one canonicalization is all a SAML signature needs; a long chain only burns CPU.
            if (transforms.ChildNodes.OfType<XmlElement>().Count() > 2)
                throw Reject(SamlRejection.DisallowedTransform, "The reference has more than two transforms.");
            foreach (var transform in transforms.ChildNodes.OfType<XmlElement>())
            {
                var algorithm = Attr(transform, "Algorithm");
                if (transform.LocalName != "Transform" || transform.NamespaceURI != DsigNs || algorithm is null || !Transforms.Contains(algorithm))
                    throw Reject(SamlRejection.DisallowedTransform, $"Transform '{algorithm}' is not allowed.");
                if (transform.ChildNodes.OfType<XmlElement>().Any(e => e.LocalName != "InclusiveNamespaces"))
                    throw Reject(SamlRejection.DisallowedTransform, "A transform carries parameters that are not allowed.");
            }
        }
        var digestMethod = Child(reference, DsigNs, "DigestMethod") is { } dm ? Attr(dm, "Algorithm") : null;
        if (digestMethod is null || !(DigestMethods.Contains(digestMethod) || context.AllowSha1 && digestMethod == Sha1))
            throw Reject(SamlRejection.WeakAlgorithm, $"DigestMethod '{digestMethod}' is not allowed.");
        if (Child(signature, DsigNs, "Object") is not null)
            throw Reject(SamlRejection.BadReference, "The signature carries ds:Object content.");

        var signedXml = new StrictSignedXml(element, id);
        try
        {
            signedXml.LoadXml(signature);
        }
        catch (CryptographicException e)
        {
            throw Reject(SamlRejection.Malformed, "The signature cannot be read: " + e.Message);
        }

        foreach (var certificate in context.IdpSigningCertificates)
        {
            using var key = certificate.GetRSAPublicKey();
            if (key is null)
                continue;
            bool valid;
            try
            {
                valid = signedXml.CheckSignature(key);
            }
            catch (CryptographicException e)
            {
                throw Reject(SamlRejection.SignatureInvalid, "The signature cannot be checked: " + e.Message);
            }
            if (valid)
                return signedXml.ReferencedElement == element
                    ? true
                    : throw Reject(SamlRejection.BadReference, "The verified reference did not resolve to the signature's parent.");
        }

        // Never trusted, only told apart for the audit: signed with a certificate that is not configured.
        var carried = signature.GetElementsByTagName("X509Certificate", DsigNs).OfType<XmlElement>().Select(e => Text(e) ?? "").ToList();
        var configured = context.IdpSigningCertificates.Select(c => Convert.ToBase64String(c.RawData)).ToHashSet();
        if (carried.Count > 0 && carried.Any(c => !configured.Contains(string.Concat(c.Where(ch => !char.IsWhiteSpace(ch))))))
            throw Reject(SamlRejection.UntrustedCertificate, "The signature does not verify with the IdP's certificates (KeyInfo names another certificate).");
        throw Reject(SamlRejection.SignatureInvalid, $"The signature of <{element.Name}> does not verify with the IdP's certificates.");
    }

    /// <summary>SignedXml that resolves exactly one id, to exactly the element it was made for.</summary>
    private sealed class StrictSignedXml : SignedXml
    {
        private readonly XmlElement _element;
        private readonly string _id;

        public StrictSignedXml(XmlElement element, string id) : base(element)
        {
            _element = element;
            _id = id;
        }

        public XmlElement? ReferencedElement { get; private set; }

        public override XmlElement? GetIdElement(XmlDocument? document, string idValue)
        {
            if (idValue != _id)
                return null;
            ReferencedElement = _element;
            return _element;
        }
    }

    private static XmlElement Decrypt(XmlElement encryptedAssertion, SamlValidationContext context)
    {
        var plain = SamlDecryption.DecryptAssertion(encryptedAssertion, context.SpDecryptionCertificates, context.MaxResponseBytes);
        XmlDocument decrypted;
        try
        {
            decrypted = Load(plain, context.MaxResponseBytes);
        }
        catch (XmlException e)
        {
            throw Reject(SamlRejection.EncryptedAssertionUndecryptable, "The decrypted assertion is not well-formed XML: " + e.Message);
        }
        var root = decrypted.DocumentElement;
        if (root is null || root.LocalName != "Assertion" || root.NamespaceURI != AssertionNs)
            throw Reject(SamlRejection.EncryptedAssertionUndecryptable, "The decrypted content is not a saml:Assertion.");
        var owner = encryptedAssertion.OwnerDocument;
        var imported = (XmlElement)owner.ImportNode(root, deep: true);
        encryptedAssertion.ParentNode!.ReplaceChild(imported, encryptedAssertion);
        if (owner.GetElementsByTagName("Assertion", AssertionNs).Count != 1
            || owner.GetElementsByTagName("EncryptedAssertion", AssertionNs).Count != 0
            || imported.GetElementsByTagName("Signature", DsigNs).OfType<XmlElement>().Any(s => s.ParentNode != imported))
            throw Reject(SamlRejection.AssertionCount, "The decrypted assertion nests other assertions or signatures.");
        return imported;
    }

    private static SamlAssertion ReadAssertion(XmlElement assertion, SamlValidationContext context)
    {
        var now = context.NowUtc;
        var skew = context.ClockSkew;
        if (Attr(assertion, "Version") != "2.0")
            throw Reject(SamlRejection.UnsupportedVersion, $"Assertion Version '{Attr(assertion, "Version")}' is not 2.0.");
        var id = Attr(assertion, "ID");
        if (string.IsNullOrEmpty(id))
            throw Reject(SamlRejection.Malformed, "The assertion has no ID.");
        var issuer = Text(Child(assertion, AssertionNs, "Issuer"));
        if (issuer != context.IdpEntityId)
            throw Reject(SamlRejection.WrongIssuer, $"Assertion Issuer '{issuer}' is not the IdP.");

        // Conditions: validity window and audiences (at least one restriction, each naming this SP).
        var conditions = Children(assertion, AssertionNs, "Conditions").ToList();
        if (conditions.Count != 1)
            throw Reject(SamlRejection.WrongAudience, "The assertion has no (or several) Conditions, so no audience restriction.");
        var notOnOrAfter = DateTime.MaxValue;
        if (Instant(conditions[0], "NotBefore") is { } notBefore && now + skew < notBefore)
            throw Reject(SamlRejection.NotYetValid, $"The assertion is valid from {FormatInstant(notBefore)}.");
        if (Instant(conditions[0], "NotOnOrAfter") is { } conditionsEnd)
        {
            if (now - skew >= conditionsEnd)
                throw Reject(SamlRejection.Expired, $"The assertion expired at {FormatInstant(conditionsEnd)}.");
            notOnOrAfter = conditionsEnd;
        }
        var restrictions = Children(conditions[0], AssertionNs, "AudienceRestriction").ToList();
        if (restrictions.Count == 0)
            throw Reject(SamlRejection.WrongAudience, "The assertion has no AudienceRestriction.");
        foreach (var restriction in restrictions)
        {
            if (!Children(restriction, AssertionNs, "Audience").Any(a => Text(a) == context.SpEntityId))
                throw Reject(SamlRejection.WrongAudience, "An AudienceRestriction does not name this SP.");
        }

        // Subject: a NameID and a bearer confirmation for this ACS, still valid, answering the right request.
        var subject = Child(assertion, AssertionNs, "Subject") ?? throw Reject(SamlRejection.Malformed, "The assertion has no Subject.");
        var nameIdElement = Child(subject, AssertionNs, "NameID");
        var nameId = Text(nameIdElement);
        if (string.IsNullOrEmpty(nameId))
            throw Reject(SamlRejection.Malformed, "The Subject has no (plain-text) NameID.");
        var bearers = Children(subject, AssertionNs, "SubjectConfirmation").Where(c => Attr(c, "Method") == BearerMethod).ToList();
        if (bearers.Count == 0)
            throw Reject(SamlRejection.NotBearer, "No bearer SubjectConfirmation.");
        SamlValidationException? firstFailure = null;
        DateTime? confirmedUntil = null;
        foreach (var bearer in bearers)
        {
            try
            {
                confirmedUntil = CheckBearer(bearer, context);
                break;
            }
            catch (SamlValidationException e)
            {
                firstFailure ??= e;
            }
        }
        if (confirmedUntil is null)
            throw firstFailure!;
        if (confirmedUntil < notOnOrAfter)
            notOnOrAfter = confirmedUntil.Value;

        // An AuthnStatement (its session still open).
        var authn = Children(assertion, AssertionNs, "AuthnStatement").FirstOrDefault()
                    ?? throw Reject(SamlRejection.MissingAuthnStatement, "The assertion has no AuthnStatement.");
        if (Instant(authn, "SessionNotOnOrAfter") is { } sessionEnd && now - skew >= sessionEnd)
            throw Reject(SamlRejection.Expired, $"The IdP session ended at {FormatInstant(sessionEnd)}.");
        var classRef = Child(authn, AssertionNs, "AuthnContext") is { } ctx ? Text(Child(ctx, AssertionNs, "AuthnContextClassRef")) : null;

        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var statement in Children(assertion, AssertionNs, "AttributeStatement"))
        {
            foreach (var attribute in Children(statement, AssertionNs, "Attribute"))
            {
                var name = Attr(attribute, "Name");
                if (string.IsNullOrEmpty(name))
                    continue;
                var values = Children(attribute, AssertionNs, "AttributeValue").Select(Text).OfType<string>().ToList();
                attributes[name] = attributes.TryGetValue(name, out var existing) ? [.. existing, .. values] : values;
            }
        }

        return new SamlAssertion(id, issuer, nameId, nameIdElement is null ? null : Attr(nameIdElement, "Format"), Attr(authn, "SessionIndex"),
            context.ExpectedInResponseTo, notOnOrAfter, classRef, attributes);
    }

    /// <summary>Checks one bearer confirmation; returns its NotOnOrAfter.</summary>
    private static DateTime CheckBearer(XmlElement bearer, SamlValidationContext context)
    {
        var data = Child(bearer, AssertionNs, "SubjectConfirmationData")
                   ?? throw Reject(SamlRejection.WrongRecipient, "The bearer confirmation has no SubjectConfirmationData.");
        if (Attr(data, "Recipient") != context.AcsUrl)
            throw Reject(SamlRejection.WrongRecipient, $"Recipient '{Attr(data, "Recipient")}' is not this ACS URL.");
        if (Instant(data, "NotBefore") is { } notBefore && context.NowUtc + context.ClockSkew < notBefore)
            throw Reject(SamlRejection.NotYetValid, $"The confirmation is valid from {FormatInstant(notBefore)}.");
        var notOnOrAfter = Instant(data, "NotOnOrAfter") ?? throw Reject(SamlRejection.Expired, "The bearer confirmation has no NotOnOrAfter.");
        if (context.NowUtc - context.ClockSkew >= notOnOrAfter)
            throw Reject(SamlRejection.Expired, $"The confirmation expired at {FormatInstant(notOnOrAfter)}.");
        CheckInResponseTo(Attr(data, "InResponseTo"), context, "SubjectConfirmationData");
        return notOnOrAfter;
    }

    private static DateTime? Instant(XmlElement element, string attribute)
    {
        var value = Attr(element, attribute);
        if (value is null)
            return null;
        try
        {
            return ParseInstant(value);
        }
        catch (FormatException e)
        {
            throw Reject(SamlRejection.Malformed, e.Message);
        }
    }

    private static SamlValidationException Reject(SamlRejection reason, string detail) => new(reason, detail);
}
