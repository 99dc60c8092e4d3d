using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Sso.Services.Saml;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SamlTestIdp;

namespace Studio.Tests.Sso;

/// <summary>SamlSigning: the HTTP-Redirect binding (deflate, base64, signature over the raw query) and enveloped XML signatures.</summary>
public sealed class SamlSigningTests
{
    private const string AuthnRequest =
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r1\" Version=\"2.0\" IssueInstant=\"2026-11-24T12:00:00Z\" Destination=\"https://idp.example.org/sso\" AssertionConsumerServiceURL=\"https://a.studio.test/sso/saml/1/acs\"><saml:Issuer>https://studio.test/sso/saml/sp</saml:Issuer></samlp:AuthnRequest>";

    private static SamlValidationException Refused(SamlRejection expected, Action action)
    {
        var e = Assert.Throws<SamlValidationException>(action);
        Assert.True(expected == e.Reason, $"Expected {expected}, got {e.Reason}: {e.Message}");
        return e;
    }

    [Fact]
    public void A_signed_redirect_query_round_trips_and_is_signed_over_the_encoded_parameters()
    {
        var query = SamlSigning.SignedRedirectQuery("SAMLRequest", AuthnRequest, "/staff?x=1&y=2", SpCert);
        var parts = query.Split('&');
        Assert.Equal(["SAMLRequest", "RelayState", "SigAlg", "Signature"], parts.Select(p => p[..p.IndexOf('=')]));
        Assert.Equal("SigAlg=" + Uri.EscapeDataString(SamlXml.RsaSha256), parts[2]);

        // Independently: RSA-SHA256 over "SAMLRequest=…&RelayState=…&SigAlg=…" exactly as sent.
        using var rsa = SpCert.GetRSAPublicKey()!;
        var signature = Convert.FromBase64String(Uri.UnescapeDataString(parts[3]["Signature=".Length..]));
        Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(string.Join('&', parts[..3])), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        // The message is raw deflate of the XML.
        Assert.Equal(AuthnRequest, SamlSigning.InflateBase64(Uri.UnescapeDataString(parts[0]["SAMLRequest=".Length..])));

        var message = SamlSigning.VerifyRedirectQuery("?" + query, [SpCert]);
        Assert.Equal("SAMLRequest", message.ParameterName);
        Assert.Equal(AuthnRequest, message.Xml);
        Assert.Equal("/staff?x=1&y=2", message.RelayState);

        // Parameter order in the URL does not matter; the signed order does.
        Assert.Equal(AuthnRequest, SamlSigning.VerifyRedirectQuery(string.Join('&', parts.Reverse()), [SpCert]).Xml);
        // Unsigned queries are plain.
        Assert.DoesNotContain("Signature", SamlSigning.RedirectQuery("SAMLRequest", AuthnRequest, null));
    }

    [Fact]
    public void The_redirect_signature_is_verified_over_the_raw_values_as_the_sender_encoded_them()
    {
        // A sender that percent-encodes in lowercase: re-encoding the decoded values would not match its signature.
        var message = Uri.EscapeDataString(SamlSigning.DeflateBase64(AuthnRequest)).Replace("%2B", "%2b").Replace("%2F", "%2f").Replace("%3D", "%3d");
        var sigAlg = Uri.EscapeDataString(SamlXml.RsaSha256).ToLowerInvariant();
        var signed = $"SAMLRequest={message}&SigAlg={sigAlg}";
        using var rsa = IdpCert.GetRSAPrivateKey()!;
        var signature = Convert.ToBase64String(rsa.SignData(Encoding.UTF8.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var result = SamlSigning.VerifyRedirectQuery(signed + "&Signature=" + Uri.EscapeDataString(signature), [IdpCert]);
        Assert.Equal(AuthnRequest, result.Xml);
        Assert.Null(result.RelayState);
    }

    [Fact]
    public void Tampered_unsigned_duplicated_weak_or_foreign_redirect_messages_are_refused()
    {
        var query = SamlSigning.SignedRedirectQuery("SAMLResponse", AuthnRequest, "/staff", IdpCert);
        Refused(SamlRejection.SignatureInvalid, () => SamlSigning.VerifyRedirectQuery(query.Replace("RelayState=%2Fstaff", "RelayState=https%3A%2F%2Fevil.example"), [IdpCert]));
        Refused(SamlRejection.SignatureInvalid, () => SamlSigning.VerifyRedirectQuery(query, [AttackerCert]));
        Refused(SamlRejection.NotSigned, () => SamlSigning.VerifyRedirectQuery(SamlSigning.RedirectQuery("SAMLResponse", AuthnRequest, "/staff"), [IdpCert]));
        Refused(SamlRejection.Malformed, () => SamlSigning.VerifyRedirectQuery(query + "&RelayState=%2Fother", [IdpCert]));
        Refused(SamlRejection.Malformed, () => SamlSigning.VerifyRedirectQuery(query + "&SAMLRequest=abc", [IdpCert]));

        var sha1 = SamlSigning.SignedRedirectQuery("SAMLResponse", AuthnRequest, null, IdpCert, SamlXml.RsaSha1);
        Refused(SamlRejection.WeakAlgorithm, () => SamlSigning.VerifyRedirectQuery(sha1, [IdpCert]));
        Assert.Equal(AuthnRequest, SamlSigning.VerifyRedirectQuery(sha1, [IdpCert], allowSha1: true).Xml);

        var longRelay = SamlSigning.SignedRedirectQuery("SAMLResponse", AuthnRequest, new string('r', SamlSigning.MaxRelayStateLength + 1), IdpCert);
        Refused(SamlRejection.TooLarge, () => SamlSigning.VerifyRedirectQuery(longRelay, [IdpCert]));

        // A deflate bomb: signed, but inflates beyond the cap.
        var bomb = SamlSigning.SignedRedirectQuery("SAMLResponse", "<x>" + new string(' ', SamlSigning.MaxInflatedBytes) + "</x>", null, IdpCert);
        Refused(SamlRejection.Malformed, () => SamlSigning.VerifyRedirectQuery(bomb, [IdpCert]));
        Assert.Throws<FormatException>(() => SamlSigning.InflateBase64("not base64!"));
        Assert.Throws<FormatException>(() => SamlSigning.InflateBase64(Convert.ToBase64String("plain, not deflate"u8.ToArray())));
    }

    [Fact]
    public void SignElement_produces_an_enveloped_SHA256_signature_after_the_Issuer_that_the_validator_rules_accept()
    {
        var document = Load(AuthnRequest);
        SamlSigning.SignElement(document.DocumentElement!, SpCert);
        var root = document.DocumentElement!;
        Assert.Equal("Issuer", root.ChildNodes[0]!.LocalName);
        Assert.Equal("Signature", root.ChildNodes[1]!.LocalName);
        var signedXml = new System.Security.Cryptography.Xml.SignedXml(root);
        signedXml.LoadXml((XmlElement)root.ChildNodes[1]!);
        Assert.Equal(SamlXml.RsaSha256, signedXml.SignatureMethod);
        Assert.Equal(SamlXml.ExcC14n, signedXml.SignedInfo!.CanonicalizationMethod);
        Assert.True(signedXml.CheckSignature(SpCert.GetRSAPublicKey()!));
        Assert.False(signedXml.CheckSignature(AttackerCert.GetRSAPublicKey()!));
    }
}

/// <summary>The validator is part of a SAML-enabled tenant's container.</summary>
public sealed class SamlServicesTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task A_tenant_with_SAML_resolves_the_validator_and_it_validates()
    {
        var tenant = await CreateTenantAsync(["Studio.Sso.Saml"]);
        var nameId = await Factory.InTenantAsync(tenant.Name, sp =>
        {
            var validator = sp.GetRequiredService<ISamlResponseValidator>();
            Assert.IsType<SamlResponseValidator>(validator);
            var idp = new SamlTestIdp();
            return Task.FromResult(validator.Validate(Bytes(idp.Build()), idp.Context()).NameId);
        });
        Assert.Equal("alice@bigstudio.com", nameId);
    }
}
