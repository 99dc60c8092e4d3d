using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using Studio.Modules.Sso.Services.Saml;
using static Studio.Tests.Sso.SamlTestIdp;

namespace Studio.Tests.Sso;

/// <summary>
/// The SAML response validator against a corpus built in code: a valid signed response passes; every attack class
/// of shared/design/sso.md (XSW1–8, injection, comments, algorithms, references, ids, DTDs, every envelope and
/// assertion check) is refused with its own <see cref="SamlRejection"/>; and the .NET defaults it must not fall into.
/// </summary>
public sealed class SamlResponseValidatorTests
{
    private readonly SamlResponseValidator _validator = new();

    private SamlAssertion Validate(SamlTestIdp idp, XmlDocument document, Func<SamlValidationContext, SamlValidationContext>? change = null) =>
        _validator.Validate(Bytes(document), idp.Context(change));

    private void Refused(SamlRejection expected, SamlTestIdp idp, XmlDocument document, Func<SamlValidationContext, SamlValidationContext>? change = null) =>
        Refused(expected, Bytes(document), idp.Context(change));

    private void Refused(SamlRejection expected, byte[] xml, SamlValidationContext context)
    {
        var e = Assert.Throws<SamlValidationException>(() => _validator.Validate(xml, context));
        Assert.True(expected == e.Reason, $"Expected {expected}, got {e.Reason}: {e.Message}");
    }

    private static XmlElement Import(XmlDocument document, XmlNode node) => (XmlElement)document.ImportNode(node, deep: true);

    // ---------------------------------------------------------------- valid

    [Fact]
    public void A_valid_signed_assertion_passes_with_its_claims()
    {
        var idp = new SamlTestIdp();
        var assertion = Validate(idp, idp.Build());
        Assert.Equal(idp.AssertionId, assertion.Id);
        Assert.Equal(idp.IdpEntityId, assertion.Issuer);
        Assert.Equal("alice@bigstudio.com", assertion.NameId);
        Assert.Equal("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", assertion.NameIdFormat);
        Assert.Equal("_session-1", assertion.SessionIndex);
        Assert.Equal(idp.RequestId, assertion.InResponseTo);
        Assert.Equal(idp.NotOnOrAfter, assertion.NotOnOrAfterUtc);
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", assertion.AuthnContextClassRef);
        Assert.Equal(["engineers", "studio-admins"], assertion.Attributes["groups"]);
        Assert.Equal(["alice@bigstudio.com"], assertion.Attributes["email"]);
    }

    [Fact]
    public void The_signing_requirement_is_per_IdP_assertion_response_or_either()
    {
        var idp = new SamlTestIdp();
        var responseOnly = idp.Build(signAssertion: false, signResponse: true);
        Assert.Equal("alice@bigstudio.com", Validate(idp, responseOnly, c => c with { RequireSigned = "response" }).NameId);
        Assert.Equal("alice@bigstudio.com", Validate(idp, responseOnly, c => c with { RequireSigned = "either" }).NameId);
        Refused(SamlRejection.NotSigned, idp, responseOnly);

        var assertionOnly = idp.Build();
        Refused(SamlRejection.NotSigned, idp, assertionOnly, c => c with { RequireSigned = "response" });

        var both = idp.Build(signAssertion: true, signResponse: true);
        Assert.Equal(idp.AssertionId, Validate(idp, both).Id);
        Assert.Equal(idp.AssertionId, Validate(idp, both, c => c with { RequireSigned = "response" }).Id);
    }

    [Fact]
    public void A_certificate_in_rollover_verifies_when_it_is_one_of_the_configured()
    {
        var idp = new SamlTestIdp();
        var next = NewCertificate("CN=Test IdP next");
        var document = idp.Build(signer: next);
        Refused(SamlRejection.UntrustedCertificate, idp, document);
        Assert.Equal(idp.AssertionId, Validate(idp, document, c => c with { IdpSigningCertificates = [IdpCert, next] }).Id);
        // KeyInfo is never needed: without it the configured certificate still verifies.
        var bare = idp.Build();
        var signature = Select(Assertion(bare), "ds:Signature");
        signature.RemoveChild(Select(signature, "ds:KeyInfo"));
        Assert.Equal(idp.AssertionId, Validate(idp, bare).Id);
    }

    // ---------------------------------------------------------------- signature wrapping (SAMLRaider XSW1–8)

    /// <summary>XSW1: a forged Response at the root carrying the original signature; the original response copied into that signature.</summary>
    [Fact]
    public void XSW1_original_response_inside_the_signature_of_a_forged_one_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build(signAssertion: false, signResponse: true);
        var root = document.DocumentElement!;
        var original = (XmlElement)root.CloneNode(true);
        original.RemoveChild(Select(original, "ds:Signature"));
        root.SetAttribute("ID", "_evil-response");
        Select(root, "saml:Assertion/saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        Select(root, "saml:Assertion").SetAttribute("ID", "_evil-assertion");
        var obj = document.CreateElement("ds", "Object", SamlXml.DsigNs);
        obj.AppendChild(original);
        Select(root, "ds:Signature").AppendChild(obj);
        Refused(SamlRejection.Malformed, idp, document, c => c with { RequireSigned = "response" });
    }

    /// <summary>XSW2: like XSW1 but the original response is a detached sibling before the signature.</summary>
    [Fact]
    public void XSW2_original_response_as_detached_sibling_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build(signAssertion: false, signResponse: true);
        var root = document.DocumentElement!;
        var original = (XmlElement)root.CloneNode(true);
        original.RemoveChild(Select(original, "ds:Signature"));
        root.SetAttribute("ID", "_evil-response");
        Select(root, "saml:Assertion").SetAttribute("ID", "_evil-assertion");
        Select(root, "saml:Assertion/saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        root.InsertBefore(original, Select(root, "ds:Signature"));
        Refused(SamlRejection.Malformed, idp, document, c => c with { RequireSigned = "response" });
    }

    /// <summary>XSW3: a forged assertion inserted before the signed one, as a sibling.</summary>
    [Fact]
    public void XSW3_forged_assertion_before_the_signed_one_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var signed = Assertion(document);
        var forged = (XmlElement)signed.CloneNode(true);
        forged.RemoveChild(Select(forged, "ds:Signature"));
        forged.SetAttribute("ID", "_evil");
        Select(forged, "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        document.DocumentElement!.InsertBefore(forged, signed);
        Refused(SamlRejection.AssertionCount, idp, document);
    }

    /// <summary>XSW4: a forged assertion wrapping the signed one as its child.</summary>
    [Fact]
    public void XSW4_forged_assertion_wrapping_the_signed_one_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var signed = Assertion(document);
        var forged = (XmlElement)signed.CloneNode(true);
        forged.RemoveChild(Select(forged, "ds:Signature"));
        forged.SetAttribute("ID", "_evil");
        Select(forged, "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        document.DocumentElement!.ReplaceChild(forged, signed);
        forged.AppendChild(signed);
        Refused(SamlRejection.AssertionCount, idp, document);
    }

    /// <summary>XSW5: the forged assertion carries the copied signature; the original, unsigned, is appended to the Response.</summary>
    [Fact]
    public void XSW5_copied_signature_on_forged_assertion_original_appended_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var signed = Assertion(document);
        var original = (XmlElement)signed.CloneNode(true);
        original.RemoveChild(Select(original, "ds:Signature"));
        Select(signed, "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        signed.SetAttribute("ID", "_evil");
        document.DocumentElement!.AppendChild(original);
        Refused(SamlRejection.AssertionCount, idp, document);
    }

    /// <summary>XSW6: the forged assertion carries the copied signature, the original sits inside that signature.</summary>
    [Fact]
    public void XSW6_original_inside_the_copied_signature_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var signed = Assertion(document);
        var original = (XmlElement)signed.CloneNode(true);
        original.RemoveChild(Select(original, "ds:Signature"));
        Select(signed, "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        signed.SetAttribute("ID", "_evil");
        Select(signed, "ds:Signature").AppendChild(original);
        Refused(SamlRejection.AssertionCount, idp, document);
    }

    /// <summary>XSW7: the signed assertion moved into an Extensions element; a forged one where the SP reads.</summary>
    [Fact]
    public void XSW7_signed_assertion_hidden_in_Extensions_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var signed = Assertion(document);
        var forged = (XmlElement)signed.CloneNode(true);
        forged.RemoveChild(Select(forged, "ds:Signature"));
        forged.SetAttribute("ID", "_evil");
        Select(forged, "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        var extensions = document.CreateElement("samlp", "Extensions", SamlXml.ProtocolNs);
        document.DocumentElement!.ReplaceChild(forged, signed);
        extensions.AppendChild(signed);
        document.DocumentElement.InsertBefore(extensions, Select(document.DocumentElement, "samlp:Status"));
        Refused(SamlRejection.AssertionCount, idp, document);
    }

    /// <summary>XSW8: the forged assertion's signature holds an Object with the original assertion (signature removed from it).</summary>
    [Fact]
    public void XSW8_original_in_an_Object_of_the_forged_signature_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var signed = Assertion(document);
        var signature = Select(signed, "ds:Signature");
        var original = (XmlElement)signed.CloneNode(true);
        original.RemoveChild(Select(original, "ds:Signature"));
        var obj = document.CreateElement("ds", "Object", SamlXml.DsigNs);
        obj.AppendChild(original);
        signature.AppendChild(obj);
        Select(signed, "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        signed.SetAttribute("ID", "_evil");
        Refused(SamlRejection.AssertionCount, idp, document);
    }

    [Fact]
    public void XSW_with_a_single_assertion_is_still_refused_by_the_reference_and_the_digest()
    {
        var idp = new SamlTestIdp();
        // The forged assertion keeps the copied signature but has its own ID: the reference no longer names its parent.
        var renamed = idp.Build();
        Select(Assertion(renamed), "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        Assertion(renamed).SetAttribute("ID", "_evil");
        Refused(SamlRejection.BadReference, idp, renamed);
        // Same ID, changed content: the digest fails.
        var edited = idp.Build();
        Select(Assertion(edited), "saml:Subject/saml:NameID").InnerText = "admin@bigstudio.com";
        Refused(SamlRejection.SignatureInvalid, idp, edited);
    }

    [Fact]
    public void Assertion_injection_with_a_copied_signature_is_refused()
    {
        var idp = new SamlTestIdp();
        // A legitimately signed response for another user; its signature copied onto a forged assertion.
        var victim = idp.Build();
        var attacker = new SamlTestIdp { NameId = "admin@bigstudio.com", AssertionId = idp.AssertionId, ResponseId = idp.ResponseId }.Build(signAssertion: false);
        var forged = Assertion(attacker);
        forged.InsertAfter(Import(attacker, Select(Assertion(victim), "ds:Signature")), Select(forged, "saml:Issuer"));
        Refused(SamlRejection.SignatureInvalid, idp, attacker);
    }

    [Fact]
    public void Two_assertions_first_verified_second_used_are_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var second = new SamlTestIdp { NameId = "admin@bigstudio.com" }.Build();
        document.DocumentElement!.AppendChild(Import(document, Assertion(second)));
        Refused(SamlRejection.AssertionCount, idp, document);
        // An unsigned second one as well.
        var other = idp.Build();
        other.DocumentElement!.AppendChild(Import(other, Assertion(new SamlTestIdp().Build(signAssertion: false))));
        Refused(SamlRejection.AssertionCount, idp, other);
        // None at all.
        var none = idp.Build();
        none.DocumentElement!.RemoveChild(Assertion(none));
        Refused(SamlRejection.AssertionCount, idp, none);
    }

    // ---------------------------------------------------------------- text, signature and algorithm rules

    [Fact]
    public void Comment_injection_in_NameID_and_attributes_reads_the_whole_signed_value()
    {
        var idp = new SamlTestIdp { NameId = "admin@victim.com.evil.com", Attributes = new() { ["groups"] = ["users.evil"] } };
        var document = idp.Build();
        // Comments do not change the exclusive-c14n (without comments) digest: insert them after signing.
        var nameId = Select(Assertion(document), "saml:Subject/saml:NameID");
        nameId.InnerXml = "admin@victim.com<!---->.evil.com";
        Select(Assertion(document), "saml:AttributeStatement/saml:Attribute/saml:AttributeValue").InnerXml = "users<!-- x -->.evil";
        var assertion = Validate(idp, document);
        Assert.Equal("admin@victim.com.evil.com", assertion.NameId);
        Assert.Equal(["users.evil"], assertion.Attributes["groups"]);
    }

    [Fact]
    public void A_removed_signature_is_refused()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var assertion = Assertion(document);
        assertion.RemoveChild(Select(assertion, "ds:Signature"));
        Refused(SamlRejection.NotSigned, idp, document);
        // A broken response signature is never ignored because the assertion is signed.
        var both = idp.Build(signResponse: true);
        Select(both.DocumentElement!, "ds:Signature/ds:SignatureValue").InnerText = Convert.ToBase64String(new byte[256]);
        Refused(SamlRejection.SignatureInvalid, idp, both);
    }

    [Fact]
    public void A_signature_by_an_attackers_certificate_in_KeyInfo_is_refused()
    {
        var idp = new SamlTestIdp { NameId = "admin@bigstudio.com" };
        Refused(SamlRejection.UntrustedCertificate, idp, idp.Build(signer: AttackerCert));
        Refused(SamlRejection.UntrustedCertificate, idp, idp.Build(signAssertion: false, signResponse: true, signer: AttackerCert), c => c with { RequireSigned = "either" });
    }

    [Fact]
    public void SHA1_is_refused_unless_allowed_for_the_IdP()
    {
        var idp = new SamlTestIdp();
        var sha1 = idp.Build(signatureMethod: SamlXml.RsaSha1, digestMethod: SamlXml.Sha1);
        Refused(SamlRejection.WeakAlgorithm, idp, sha1);
        Assert.Equal(idp.AssertionId, Validate(idp, sha1, c => c with { AllowSha1 = true }).Id);
        // A strong signature over a SHA-1 digest is refused as well.
        Refused(SamlRejection.WeakAlgorithm, idp, idp.Build(digestMethod: SamlXml.Sha1));
        Refused(SamlRejection.WeakAlgorithm, idp, idp.Build(signatureMethod: SamlXml.RsaSha1));
        // HMAC (the public key as a shared secret) and unknown methods are refused before any verification.
        var hmac = idp.Build();
        Select(Assertion(hmac), "ds:Signature/ds:SignedInfo/ds:SignatureMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256");
        Refused(SamlRejection.WeakAlgorithm, idp, hmac);
        var md5 = idp.Build();
        Select(Assertion(md5), "ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestMethod").SetAttribute("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#md5");
        Refused(SamlRejection.WeakAlgorithm, idp, md5);
    }

    [Fact]
    public void A_disallowed_transform_is_refused()
    {
        var idp = new SamlTestIdp();
        // A correctly signed assertion whose reference uses inclusive c14n (not on the list).
        var document = idp.Build();
        var assertion = Assertion(document);
        assertion.RemoveChild(Select(assertion, "ds:Signature"));
        var signedXml = new SignedXml(assertion) { SigningKey = IdpCert.GetRSAPrivateKey() };
        signedXml.SignedInfo!.CanonicalizationMethod = SamlXml.ExcC14n;
        signedXml.SignedInfo.SignatureMethod = SamlXml.RsaSha256;
        var reference = new Reference("#" + idp.AssertionId) { DigestMethod = SamlXml.Sha256 };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigC14NTransform());
        signedXml.AddReference(reference);
        signedXml.ComputeSignature();
        assertion.InsertAfter(Import(document, signedXml.GetXml()), Select(assertion, "saml:Issuer"));
        Refused(SamlRejection.DisallowedTransform, idp, document);

        // An XSLT transform planted in a valid signature.
        var xslt = idp.Build();
        var transforms = Select(Assertion(xslt), "ds:Signature/ds:SignedInfo/ds:Reference/ds:Transforms");
        var planted = xslt.CreateElement("ds", "Transform", SamlXml.DsigNs);
        planted.SetAttribute("Algorithm", "http://www.w3.org/TR/1999/REC-xslt-19991116");
        transforms.AppendChild(planted);
        Refused(SamlRejection.DisallowedTransform, idp, xslt);

        // A chain of allowed transforms (CPU exhaustion) is refused too.
        var chain = idp.Build();
        var chainTransforms = Select(Assertion(chain), "ds:Signature/ds:SignedInfo/ds:Reference/ds:Transforms");
        for (var i = 0; i < 50; i++)
            chainTransforms.AppendChild(chainTransforms.LastChild!.CloneNode(true));
        Refused(SamlRejection.DisallowedTransform, idp, chain);
    }

    [Fact]
    public void A_reference_to_another_element_an_empty_URI_or_several_references_are_refused()
    {
        var idp = new SamlTestIdp();
        var other = idp.Build();
        Select(Assertion(other), "ds:Signature/ds:SignedInfo/ds:Reference").SetAttribute("URI", "#" + idp.ResponseId);
        Refused(SamlRejection.BadReference, idp, other);

        var empty = idp.Build();
        Select(Assertion(empty), "ds:Signature/ds:SignedInfo/ds:Reference").SetAttribute("URI", "");
        Refused(SamlRejection.BadReference, idp, empty);

        var several = idp.Build();
        var reference = Select(Assertion(several), "ds:Signature/ds:SignedInfo/ds:Reference");
        reference.ParentNode!.AppendChild(reference.CloneNode(true));
        Refused(SamlRejection.BadReference, idp, several);

        // A valid signature of another element (the Subject) placed under the assertion.
        var subject = idp.Build(signAssertion: false);
        var subjectElement = Select(Assertion(subject), "saml:Subject");
        subjectElement.SetAttribute("ID", "_subject");
        SamlSigning.SignElement(subjectElement, IdpCert);
        var signature = Select(subjectElement, "ds:Signature");
        Assertion(subject).InsertAfter(signature, Select(Assertion(subject), "saml:Issuer"));
        subjectElement.RemoveAttribute("ID");
        Refused(SamlRejection.BadReference, idp, subject);
    }

    [Fact]
    public void Duplicate_and_lowercase_ids_are_refused()
    {
        var idp = new SamlTestIdp();
        // Another element with the assertion's ID, even outside SAML (SignedXml also looks at Id and id).
        var duplicate = idp.Build();
        var extensions = duplicate.CreateElement("samlp", "Extensions", SamlXml.ProtocolNs);
        var decoy = duplicate.CreateElement("x", "Decoy", "urn:attacker");
        decoy.SetAttribute("id", idp.AssertionId);
        extensions.AppendChild(decoy);
        duplicate.DocumentElement!.InsertBefore(extensions, Select(duplicate.DocumentElement, "samlp:Status"));
        Refused(SamlRejection.DuplicateId, idp, duplicate);

        var sameId = new SamlTestIdp { AssertionId = "_same", ResponseId = "_same" };
        Refused(SamlRejection.DuplicateId, sameId, sameId.Build());

        // A lowercase id on a SAML element.
        var lower = idp.Build();
        lower.DocumentElement!.SetAttribute("id", "_another");
        Refused(SamlRejection.DuplicateId, idp, lower);
    }

    [Fact]
    public void DOCTYPE_and_entity_expansion_are_refused_before_parsing_anything()
    {
        var idp = new SamlTestIdp();
        var xml = idp.Build().OuterXml;
        const string laughs = "<!DOCTYPE samlp:Response [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>";
        Refused(SamlRejection.DtdProhibited, Encoding.UTF8.GetBytes(laughs + xml), idp.Context());
        Refused(SamlRejection.DtdProhibited, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<!DOCTYPE x SYSTEM \"http://127.0.0.1:1/evil.dtd\">" + xml), idp.Context());
        // A parser differential: the same DOCTYPE in UTF-16 (no byte-level match) is still refused by the reader.
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?>" + laughs + xml)).ToArray();
        Refused(SamlRejection.DtdProhibited, utf16, idp.Context(c => c with { MaxResponseBytes = utf16.Length + 1 }));
        Refused(SamlRejection.Malformed, Encoding.UTF8.GetBytes(xml[..^20]), idp.Context());
        Refused(SamlRejection.Malformed, "<html/>"u8.ToArray(), idp.Context());
    }

    [Fact]
    public void An_oversized_response_is_refused()
    {
        var idp = new SamlTestIdp();
        var bytes = Bytes(idp.Build());
        Refused(SamlRejection.TooLarge, bytes, idp.Context(c => c with { MaxResponseBytes = bytes.Length - 1 }));
        var padded = new SamlTestIdp { Attributes = new() { ["big"] = [new string('x', 300 * 1024)] } };
        Refused(SamlRejection.TooLarge, padded, padded.Build());
    }

    // ---------------------------------------------------------------- envelope and assertion checks

    [Fact]
    public void Wrong_version_issuer_destination_status_are_refused()
    {
        Refused(SamlRejection.UnsupportedVersion, new SamlTestIdp { Version = "1.1" }, new SamlTestIdp { Version = "1.1" }.Build());
        var idp = new SamlTestIdp();
        var version = idp.Build();
        version.DocumentElement!.SetAttribute("Version", "3.0");
        Refused(SamlRejection.UnsupportedVersion, idp, version);

        var wrongAssertionIssuer = new SamlTestIdp { AssertionIssuer = "https://evil.example.org/saml" };
        Refused(SamlRejection.WrongIssuer, wrongAssertionIssuer, wrongAssertionIssuer.Build());
        var wrongResponseIssuer = new SamlTestIdp { ResponseIssuer = "https://evil.example.org/saml" };
        Refused(SamlRejection.WrongIssuer, wrongResponseIssuer, wrongResponseIssuer.Build());

        var destination = new SamlTestIdp { Destination = "https://b.studio.test/sso/saml/1/acs" };
        Refused(SamlRejection.WrongDestination, destination, destination.Build());
        var noDestination = idp.Build();
        noDestination.DocumentElement!.RemoveAttribute("Destination");
        Refused(SamlRejection.WrongDestination, idp, noDestination);

        var failed = new SamlTestIdp { Status = "urn:oasis:names:tc:SAML:2.0:status:Responder" };
        var failedDocument = failed.Build();
        failedDocument.DocumentElement!.RemoveChild(Assertion(failedDocument));
        Refused(SamlRejection.StatusNotSuccess, failed, failedDocument);
    }

    [Fact]
    public void Wrong_audience_even_one_of_several_restrictions_is_refused()
    {
        var idp = new SamlTestIdp();
        var wrong = new SamlTestIdp { AudienceRestrictions = [["https://other.example.org/sp"]] };
        Refused(SamlRejection.WrongAudience, wrong, wrong.Build());
        var oneOfSeveral = new SamlTestIdp { AudienceRestrictions = [[idp.SpEntityId], ["https://other.example.org/sp"]] };
        Refused(SamlRejection.WrongAudience, oneOfSeveral, oneOfSeveral.Build());
        var none = new SamlTestIdp { AudienceRestrictions = [] };
        Refused(SamlRejection.WrongAudience, none, none.Build());
        // Several audiences in one restriction, ours among them: fine.
        var several = new SamlTestIdp { AudienceRestrictions = [["https://other.example.org/sp", idp.SpEntityId]] };
        Assert.Equal("alice@bigstudio.com", Validate(several, several.Build()).NameId);
    }

    [Fact]
    public void Wrong_recipient_and_non_bearer_confirmation_are_refused()
    {
        var recipient = new SamlTestIdp { Recipient = "https://b.studio.test/sso/saml/1/acs" };
        Refused(SamlRejection.WrongRecipient, recipient, recipient.Build());
        var holderOfKey = new SamlTestIdp { ConfirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key" };
        Refused(SamlRejection.NotBearer, holderOfKey, holderOfKey.Build());
        var senderVouches = new SamlTestIdp { ConfirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches" };
        Refused(SamlRejection.NotBearer, senderVouches, senderVouches.Build());
    }

    [Fact]
    public void Expired_and_not_yet_valid_beyond_the_skew_are_refused_within_it_accepted()
    {
        var expired = new SamlTestIdp { NotBefore = Now.AddMinutes(-10), NotOnOrAfter = Now.AddMinutes(-3) };
        Refused(SamlRejection.Expired, expired, expired.Build());
        var justExpired = new SamlTestIdp { NotBefore = Now.AddMinutes(-10), NotOnOrAfter = Now.AddMinutes(-1) };
        Assert.Equal("alice@bigstudio.com", Validate(justExpired, justExpired.Build()).NameId);
        Refused(SamlRejection.Expired, justExpired, justExpired.Build(), c => c with { ClockSkew = TimeSpan.FromSeconds(30) });

        var early = new SamlTestIdp { NotBefore = Now.AddMinutes(3) };
        Refused(SamlRejection.NotYetValid, early, early.Build());
        var slightlyEarly = new SamlTestIdp { NotBefore = Now.AddMinutes(1) };
        Assert.Equal("alice@bigstudio.com", Validate(slightlyEarly, slightlyEarly.Build()).NameId);
    }

    [Fact]
    public void InResponseTo_mismatch_or_missing_and_unsolicited_responses_are_refused()
    {
        var mismatch = new SamlTestIdp { ResponseInResponseTo = "_another-request" };
        Refused(SamlRejection.InResponseToMismatch, mismatch, mismatch.Build());
        var confirmationMismatch = new SamlTestIdp { ConfirmationInResponseTo = "_another-request" };
        Refused(SamlRejection.InResponseToMismatch, confirmationMismatch, confirmationMismatch.Build());
        var missing = new SamlTestIdp { OmitInResponseTo = true };
        Refused(SamlRejection.InResponseToMismatch, missing, missing.Build());

        // Unsolicited: refused unless the IdP is allowed to send them; then it must not claim to answer a request.
        Refused(SamlRejection.Unsolicited, missing, missing.Build(), c => c with { ExpectedInResponseTo = null });
        var unsolicited = Validate(missing, missing.Build(), c => c with { ExpectedInResponseTo = null, AllowUnsolicited = true });
        Assert.Null(unsolicited.InResponseTo);
        var solicited = new SamlTestIdp();
        Refused(SamlRejection.InResponseToMismatch, solicited, solicited.Build(), c => c with { ExpectedInResponseTo = null, AllowUnsolicited = true });
    }

    [Fact]
    public void An_assertion_without_AuthnStatement_is_refused()
    {
        var idp = new SamlTestIdp { IncludeAuthnStatement = false };
        Refused(SamlRejection.MissingAuthnStatement, idp, idp.Build());
    }

    // ---------------------------------------------------------------- encrypted assertions

    [Fact]
    public void An_encrypted_signed_assertion_is_decrypted_with_the_SP_key()
    {
        var idp = new SamlTestIdp();
        foreach (var gcm in new[] { true, false })
        {
            var document = idp.Build();
            EncryptAssertion(document, SpCert, gcm);
            Assert.Null(Assertion(document));
            Assert.Equal("alice@bigstudio.com", Validate(idp, document, c => c with { SpDecryptionCertificates = [SpCert] }).NameId);
            // No SP key, or another one: undecryptable.
            Refused(SamlRejection.EncryptedAssertionUndecryptable, idp, document);
            Refused(SamlRejection.EncryptedAssertionUndecryptable, idp, document, c => c with { SpDecryptionCertificates = [IdpCert] });
        }
    }

    [Fact]
    public void A_decrypted_assertion_must_be_signed_or_the_response_signed()
    {
        var idp = new SamlTestIdp();
        var unsigned = idp.Build(signAssertion: false);
        EncryptAssertion(unsigned, SpCert);
        Refused(SamlRejection.NotSigned, idp, unsigned, c => c with { SpDecryptionCertificates = [SpCert], RequireSigned = "either" });

        var responseSigned = idp.Build(signAssertion: false);
        EncryptAssertion(responseSigned, SpCert);
        SamlSigning.SignElement(responseSigned.DocumentElement!, IdpCert);
        Assert.Equal("alice@bigstudio.com",
            Validate(idp, responseSigned, c => c with { SpDecryptionCertificates = [SpCert], RequireSigned = "either" }).NameId);

        // RSA PKCS#1 v1.5 key transport (a padding oracle) is refused.
        var pkcs1 = idp.Build();
        EncryptAssertion(pkcs1, SpCert, keyTransport: "http://www.w3.org/2001/04/xmlenc#rsa-1_5");
        Refused(SamlRejection.EncryptedAssertionUndecryptable, idp, pkcs1, c => c with { SpDecryptionCertificates = [SpCert] });
    }

    // ---------------------------------------------------------------- the .NET defaults (sso.md) we must not fall into

    [Fact]
    public void Fact1_SignedXml_accepts_SHA1_by_default_the_validator_does_not()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build(signatureMethod: SamlXml.RsaSha1, digestMethod: SamlXml.Sha1);
        var signedXml = new SignedXml(Assertion(document));
        signedXml.LoadXml(Select(Assertion(document), "ds:Signature"));
        Assert.True(signedXml.CheckSignature(IdpCert.GetRSAPublicKey()!));
        Refused(SamlRejection.WeakAlgorithm, idp, document);
    }

    [Fact]
    public void Fact2_CheckSignature_trusts_KeyInfo_the_validator_does_not()
    {
        var idp = new SamlTestIdp { NameId = "admin@bigstudio.com" };
        var document = idp.Build(signer: AttackerCert);
        var signedXml = new SignedXml(Assertion(document));
        signedXml.LoadXml(Select(Assertion(document), "ds:Signature"));
        Assert.True(signedXml.CheckSignature());
        Refused(SamlRejection.UntrustedCertificate, idp, document);
    }

    [Fact]
    public void Fact3_a_comment_truncates_FirstChild_Value_the_validator_reads_all_text()
    {
        var idp = new SamlTestIdp { NameId = "admin@victim.com.evil.com" };
        var document = idp.Build();
        var nameId = Select(Assertion(document), "saml:Subject/saml:NameID");
        nameId.InnerXml = "admin@victim.com<!---->.evil.com";
        var signedXml = new SignedXml(Assertion(document));
        signedXml.LoadXml(Select(Assertion(document), "ds:Signature"));
        Assert.True(signedXml.CheckSignature(IdpCert.GetRSAPublicKey()!));
        Assert.Equal("admin@victim.com", nameId.FirstChild!.Value);
        Assert.Equal("admin@victim.com.evil.com", Validate(idp, document).NameId);
    }

    [Fact]
    public void Fact4_XmlDocument_expands_entities_the_validator_refuses_DTDs()
    {
        var idp = new SamlTestIdp { NameId = "&x;" };
        var xml = "<!DOCTYPE samlp:Response [<!ENTITY x \"admin@bigstudio.com\">]>" + idp.Xml().Replace("&amp;x;", "&x;");
        var naive = new XmlDocument();
        naive.LoadXml(xml);
        Assert.Equal("admin@bigstudio.com", naive.GetElementsByTagName("NameID", SamlXml.AssertionNs)[0]!.InnerText);
        Refused(SamlRejection.DtdProhibited, Encoding.UTF8.GetBytes(xml), idp.Context());
    }

    [Fact]
    public void Fact5_an_element_outside_SAML_with_the_signed_ID_is_refused_by_the_own_strict_lookup()
    {
        var idp = new SamlTestIdp();
        var document = idp.Build();
        var extensions = document.CreateElement("samlp", "Extensions", SamlXml.ProtocolNs);
        var copy = (XmlElement)Assertion(document).CloneNode(true);
        copy.RemoveChild(Select(copy, "ds:Signature"));
        var wrapper = document.CreateElement("x", "Wrapper", "urn:attacker");
        wrapper.SetAttribute("ID", idp.AssertionId);
        extensions.AppendChild(wrapper);
        document.DocumentElement!.InsertBefore(extensions, Select(document.DocumentElement, "samlp:Status"));
        Refused(SamlRejection.DuplicateId, idp, document);
    }
}
