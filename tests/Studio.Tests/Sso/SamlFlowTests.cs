using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Web;
using System.Xml.Linq;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Data;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Modules.Sso.Services.Saml;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Sso;

/// <summary>The SAML SP of a tenant end to end in-process: keys, metadata, AuthnRequest, ACS, replay, isolation.</summary>
public sealed class SamlFlowTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string Provider = "corp";

    internal static Task<SsoProvider> AddProviderAsync(StudioFactory factory, string tenant, string entityId, string ssoUrl, string certificatePem,
        bool idpInitiated = false, string binding = "redirect", ClaimMapping? mapping = null, string? sloUrl = null) =>
        factory.InTenantAsync(tenant, sp => sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
        {
            Id = Provider, Protocol = SsoProtocols.Saml, Label = "Corp", Enabled = true, JustInTimeProvisioning = true,
            DefaultRole = null, GroupRoles = new Dictionary<string, string> { ["studio-admins"] = StudioRoles.Admin },
            Saml = new SamlProviderSettings
            {
                IdpEntityId = entityId, SsoUrl = ssoUrl, SsoBinding = binding, SloUrl = sloUrl, SigningCertificates = [certificatePem], AllowIdpInitiated = idpInitiated,
                Mapping = mapping ?? new ClaimMapping { Email = "mail", Name = "displayName", Groups = "groups" },
            },
        }, null, AuditActor.System));

    private static Dictionary<string, string[]> Attributes(string email) => new()
    {
        ["mail"] = [email], ["displayName"] = ["Alice Admin"], ["groups"] = ["studio-admins", "everyone"],
    };

    /// <summary>GET login → the redirect to the IdP, decoded.</summary>
    private static async Task<ReceivedAuthnRequest> StartAsync(HttpClient client, string returnUrl = "/admin/settings")
    {
        using var response = await client.GetAsync($"/sso/saml/{Provider}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return TestSamlIdp.ReadRedirect(response.Headers.Location!);
    }

    private static Task<HttpResponseMessage> PostAcsAsync(HttpClient client, string samlResponse, string? relayState = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("SAMLResponse", samlResponse) };
        if (relayState is not null)
            fields.Add(new("RelayState", relayState));
        return client.PostAsync($"/sso/saml/{Provider}/acs", new FormUrlEncodedContent(fields));
    }

    private Task<List<string>> RejectionsAsync(string tenant) => Factory.InTenantAsync(tenant, async sp =>
    {
        await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT after_json FROM audit_entries WHERE action = 'sso.saml.rejected' ORDER BY id")).ToList();
    });

    private static void AssertGenericError(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.EndsWith(SamlFlow.ErrorPath, StringComparison.Ordinal),
            $"expected the generic error page, got {(int)response.StatusCode} {response.Headers.Location}");

    [Fact]
    public async Task Sp_key_is_made_once_stored_encrypted_and_the_next_key_is_published_during_rollover()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        var (first, again, stored) = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var keys = sp.GetRequiredService<SpKeyStore>();
            var a = await keys.PublishedAsync();
            var b = await keys.PublishedAsync();
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            var raw = (await connection.QueryAsync<string>("SELECT private_key_protected FROM sso_sp_keys")).ToList();
            return (a, b, raw);
        });
        Assert.Single(first);
        Assert.Equal(first[0].CertificatePem, again[0].CertificatePem);
        Assert.Single(stored);
        Assert.DoesNotContain("PRIVATE KEY", stored[0]);

        var (published, signer, promoted) = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var keys = sp.GetRequiredService<SpKeyStore>();
            await keys.CreateNextAsync();
            var both = await keys.PublishedAsync();
            Assert.True(await keys.PromoteNextAsync());
            using var active = await keys.ActiveCertificateAsync();
            return (both, active.Thumbprint, await keys.PublishedAsync());
        });
        Assert.Equal(["active", "next"], published.Select(k => k.Status));
        Assert.Single(promoted);
        Assert.Equal(published[1].CertificatePem, promoted[0].CertificatePem);
        using var next = X509Certificate2.CreateFromPem(published[1].CertificatePem);
        Assert.Equal(next.Thumbprint, signer);
    }

    [Fact]
    public async Task Metadata_names_the_tenants_entity_id_acs_and_keys_and_the_login_sends_a_signed_AuthnRequest()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);

        var metadata = XDocument.Parse(await GetStringAsync(t.Client, $"/sso/saml/{Provider}/metadata"));
        XNamespace md = SamlProtocol.MetadataNs;
        var entityId = metadata.Root!.Attribute("entityID")!.Value;
        Assert.Equal($"http://{t.Host}/sso/saml/{Provider}/metadata", entityId);
        Assert.Equal($"http://{t.Host}/sso/saml/{Provider}/acs", metadata.Descendants(md + "AssertionConsumerService").Single().Attribute("Location")!.Value);
        var certificate = metadata.Descendants(XName.Get("X509Certificate", SamlProtocol.DsigNs)).First().Value;
        await GetStringAsync(t.Client, "/sso/saml/nobody/metadata", HttpStatusCode.NotFound);

        var request = await StartAsync(t.Client);
        Assert.StartsWith(idp.SsoUrl + "?SAMLRequest=", request.Destination + "?SAMLRequest=");
        Assert.Equal(entityId, request.Issuer);
        Assert.Equal($"http://{t.Host}/sso/saml/{Provider}/acs", request.AcsUrl);
        // The signature covers the query exactly as sent (SAMLRequest, SigAlg), with the key the metadata publishes.
        var parts = request.RawQuery.Split('&');
        var signed = string.Join('&', parts.Where(p => !p.StartsWith("Signature=", StringComparison.Ordinal)));
        var signature = Convert.FromBase64String(HttpUtility.UrlDecode(parts.Single(p => p.StartsWith("Signature=", StringComparison.Ordinal))["Signature=".Length..]));
        using var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(certificate));
        using var rsa = cert.GetRSAPublicKey()!;
        Assert.True(rsa.VerifyData(Encoding.UTF8.GetBytes(signed), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Contains("SigAlg=" + Uri.EscapeDataString(SamlProtocol.RsaSha256), signed);
    }

    [Fact]
    public async Task Saml_endpoints_are_404_where_the_feature_is_off()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso"]);
        await GetStringAsync(t.Client, $"/sso/saml/{Provider}/metadata", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_signed_response_signs_the_person_in_with_the_mapped_role_and_lands_on_the_local_return_url()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);

        var request = await StartAsync(t.Client);
        using var response = await PostAcsAsync(t.Client, idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/settings", response.Headers.Location!.OriginalString);
        await GetStringAsync(t.Client, "/admin/settings"); // the admin role came from the "studio-admins" group
        Assert.Empty(await RejectionsAsync(t.Name));
    }

    [Fact]
    public async Task On_a_prefixed_tenant_the_person_lands_on_the_return_url_with_one_prefix_and_never_in_another_tenant()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"], configure: r => r with { Hosts = [], Prefix = "p" + r.Name });
        var prefix = "/p" + t.Name;
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);

        async Task<string?> SignInAsync(string returnUrl, string email)
        {
            using var login = await t.Client.GetAsync($"{prefix}/sso/saml/{Provider}/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            var request = TestSamlIdp.ReadRedirect(login.Headers.Location!);
            Assert.Contains(prefix + "/sso/saml/" + Provider + "/acs", request.AcsUrl, StringComparison.Ordinal);
            using var response = await t.Client.PostAsync($"{prefix}/sso/saml/{Provider}/acs", new FormUrlEncodedContent(
                [new("SAMLResponse", idp.Response(request.AcsUrl, request.Issuer, request.Id, email, Attributes(email)))]));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return response.Headers.Location?.OriginalString;
        }

        // Return URLs carry the prefix (as the sign-in challenge writes them): it is not added a second time.
        Assert.Equal(prefix + "/admin/settings", await SignInAsync(prefix + "/admin/settings", "alice@bigstudio.test"));
        // A path outside this tenant's prefix (another tenant on the same host) lands on this tenant's home instead.
        Assert.Equal(prefix + "/", await SignInAsync("/pother/admin", "alice@bigstudio.test"));
    }

    [Fact]
    public async Task The_same_response_posted_twice_and_a_replayed_assertion_are_refused_and_audited()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);

        var request = await StartAsync(t.Client);
        var posted = idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"), assertionId: "_same");
        using (var first = await PostAcsAsync(t.Client, posted))
            Assert.Equal("/admin/settings", first.Headers.Location!.OriginalString);
        var other = Factory.ClientFor(t.Host);
        using (var second = await PostAcsAsync(other, posted))
            AssertGenericError(second);
        // A new request answered with an assertion id already used.
        var again = await StartAsync(other);
        using (var third = await PostAcsAsync(other, idp.Response(again.AcsUrl, again.Issuer, again.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"), assertionId: "_same")))
            AssertGenericError(third);
        var rejections = await RejectionsAsync(t.Name);
        Assert.Equal(2, rejections.Count);
        Assert.Contains("UnknownRequest", rejections[0]);
        Assert.Contains("Replayed", rejections[1]);
        var page = await GetStringAsync(other, SamlFlow.ErrorPath, HttpStatusCode.Forbidden);
        Assert.Contains("did not work", page);
        Assert.DoesNotContain("Replayed", page);
    }

    [Fact]
    public async Task Unsolicited_unknown_and_malformed_posts_are_refused_without_a_500()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);
        var acs = $"http://{t.Host}/sso/saml/{Provider}/acs";
        var audience = $"http://{t.Host}/sso/saml/{Provider}/metadata";

        using (var r = await PostAcsAsync(t.Client, idp.Response(acs, audience, null, "alice@bigstudio.test")))
            AssertGenericError(r);
        using (var r = await PostAcsAsync(t.Client, idp.Response(acs, audience, "_never-issued", "alice@bigstudio.test")))
            AssertGenericError(r);
        using (var r = await PostAcsAsync(t.Client, "%%% not base64"))
            AssertGenericError(r);
        using (var r = await PostAcsAsync(t.Client, Convert.ToBase64String(new byte[SamlFlow.MaxResponseBytes + 1])))
            AssertGenericError(r);
        using (var r = await PostAcsAsync(t.Client, Convert.ToBase64String(Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>"))))
            AssertGenericError(r);
        using (var r = await t.Client.PostAsync($"/sso/saml/{Provider}/acs", new StringContent("<x/>", Encoding.UTF8, "text/xml")))
            AssertGenericError(r);
        var reasons = await RejectionsAsync(t.Name);
        Assert.Equal(6, reasons.Count);
        Assert.Contains("Unsolicited", reasons[0]);
        Assert.Contains("UnknownRequest", reasons[1]);
        Assert.Contains("Malformed", reasons[2]);
        Assert.Contains("TooLarge", reasons[3]);
        Assert.Contains("DtdProhibited", reasons[4]);
        Assert.Contains("Malformed", reasons[5]);
    }

    [Fact]
    public async Task Idp_initiated_sign_in_works_only_when_allowed_and_keeps_only_a_local_relay_state()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, idpInitiated: true);
        var acs = $"http://{t.Host}/sso/saml/{Provider}/acs";
        var audience = $"http://{t.Host}/sso/saml/{Provider}/metadata";
        using var response = await PostAcsAsync(t.Client, idp.Response(acs, audience, null, "bob@bigstudio.test", Attributes("bob@bigstudio.test")), "https://evil.test/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_response_for_tenant_A_is_refused_by_tenant_B_that_trusts_the_same_idp()
    {
        var a = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        var b = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, a.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);
        await AddProviderAsync(Factory, b.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, idpInitiated: true);

        var request = await StartAsync(a.Client);
        var forA = idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"));
        using (var r = await PostAcsAsync(b.Client, forA))
            AssertGenericError(r); // B never issued that request
        // Even unsolicited (B allows IdP-initiated), an assertion addressed to A's ACS and audience is refused.
        var unsolicitedForA = idp.Response(request.AcsUrl, request.Issuer, null, "alice@bigstudio.test", Attributes("alice@bigstudio.test"));
        using (var r = await PostAcsAsync(b.Client, unsolicitedForA))
            AssertGenericError(r);
        var reasons = await RejectionsAsync(b.Name);
        Assert.Equal(2, reasons.Count);
        Assert.Contains("UnknownRequest", reasons[0]);
        Assert.Contains("WrongDestination", reasons[1]);
        // A's request is still pending: A accepts its own response.
        using (var r = await PostAcsAsync(a.Client, forA))
            Assert.Equal("/admin/settings", r.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Concurrent_first_key_requests_make_exactly_one_sp_key_and_the_database_refuses_a_second_active_one()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        // Separate stores (as separate instances would be), all asking for the tenant's first key at once.
        var keys = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var started = new TaskCompletionSource();
            var requests = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                await started.Task;
                return await ActivatorUtilities.CreateInstance<SpKeyStore>(sp).PublishedAsync();
            })).ToList();
            started.SetResult();
            return await Task.WhenAll(requests);
        });
        Assert.All(keys, published => Assert.Equal(keys[0][0].CertificatePem, Assert.Single(published).CertificatePem));
        var nexts = await Factory.InTenantAsync(t.Name, sp => Task.WhenAll(Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() => ActivatorUtilities.CreateInstance<SpKeyStore>(sp).CreateNextAsync()))));
        Assert.All(nexts, next => Assert.Equal(nexts[0].Id, next.Id));

        var (rows, secondActive) = await Factory.InTenantAsync(t.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            var statuses = (await connection.QueryAsync<string>("SELECT status FROM sso_sp_keys ORDER BY id")).ToList();
            var refused = await Record.ExceptionAsync(() => connection.ExecuteAsync(
                "INSERT INTO sso_sp_keys (use, certificate_pem, private_key_protected, status, not_after, created_utc) " +
                "SELECT use, certificate_pem, private_key_protected, status, not_after, created_utc FROM sso_sp_keys WHERE status = 'active'"));
            return (statuses, refused);
        });
        Assert.Equal(["active", "next"], rows);
        Assert.IsAssignableFrom<System.Data.Common.DbException>(secondActive);
    }

    [Fact]
    public async Task An_issued_request_is_consumed_exactly_once_under_concurrency()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        var results = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var store = sp.GetRequiredService<SamlRequestStore>();
            await store.RecordAsync("_req1", Provider, "/back");
            Assert.False((await store.ConsumeAsync("_req1", "other")).Found);
            return await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.ConsumeAsync("_req1", Provider)));
        });
        Assert.Single(results, r => r.Found);
        Assert.Equal("/back", results.Single(r => r.Found).RelayState);
        var replay = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var store = sp.GetRequiredService<SamlRequestStore>();
            var until = DateTime.UtcNow.AddMinutes(5);
            return await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TryUseAssertionAsync("_assertion", Provider, until)));
        });
        Assert.Single(replay, used => used);
    }

    [Fact]
    public void Only_local_urls_are_kept_as_return_urls()
    {
        Assert.True(SamlFlow.IsLocalUrl("/admin/settings?x=1"));
        foreach (var bad in new[] { null, "", "https://evil.test/", "//evil.test", "/\\evil.test", "admin", "/\nx" })
            Assert.False(SamlFlow.IsLocalUrl(bad));
    }

    [Fact]
    public void Idp_metadata_is_read_safely_into_provider_settings()
    {
        using var idp = new TestSamlIdp();
        var body = Convert.ToBase64String(idp.Certificate.RawData);
        var xml = $"""
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{idp.EntityId}">
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
                <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/slo"/>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.test/post"/>
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """;
        var settings = SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes(xml), new SamlProviderSettings());
        Assert.Equal(idp.EntityId, settings.IdpEntityId);
        Assert.Equal("https://idp.example.test/sso", settings.SsoUrl);
        Assert.Equal("redirect", settings.SsoBinding);
        Assert.Equal("https://idp.example.test/slo", settings.SloUrl);
        Assert.Equal([idp.CertificatePem], settings.SigningCertificates);
        Assert.Throws<FormatException>(() => SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes("<!DOCTYPE x [<!ENTITY e \"e\">]>" + xml), new SamlProviderSettings()));
        Assert.Throws<FormatException>(() => SamlIdpMetadata.Apply(Encoding.UTF8.GetBytes("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"/>"), new SamlProviderSettings()));
    }

    [Fact]
    public async Task The_idps_signed_logout_request_ends_the_session_and_gets_a_signed_response_a_forged_one_does_not()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        const string slo = "https://idp.example.test/slo";
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, sloUrl: slo);
        var request = await StartAsync(t.Client);
        using (var signedIn = await PostAcsAsync(t.Client, idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"))))
            Assert.Equal("/admin/settings", signedIn.Headers.Location!.OriginalString);
        await GetStringAsync(t.Client, "/admin/settings");

        string LogoutRequest(string id) => $"""<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}" Destination="http://{t.Host}/sso/saml/{Provider}/slo"><saml:Issuer>{idp.EntityId}</saml:Issuer><saml:NameID>alice@bigstudio.test</saml:NameID></samlp:LogoutRequest>""";

        // Signed by someone else: refused, the session stays.
        using (var attacker = new TestSamlIdp(idp.EntityId))
        using (var forged = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + SamlSigning.SignedRedirectQuery("SAMLRequest", LogoutRequest("_forged"), null, attacker.Certificate)))
            AssertGenericError(forged);
        await GetStringAsync(t.Client, "/admin/settings");
        Assert.Contains("SignatureInvalid", Assert.Single(await RejectionsAsync(t.Name)));

        using var logout = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + SamlSigning.SignedRedirectQuery("SAMLRequest", LogoutRequest("_lr1"), "state-1", idp.Certificate));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var location = logout.Headers.Location!;
        Assert.StartsWith(slo + "?SAMLResponse=", location.AbsoluteUri);
        var metadata = XDocument.Parse(await GetStringAsync(t.Client, $"/sso/saml/{Provider}/metadata"));
        using var spCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(metadata.Descendants(XName.Get("X509Certificate", SamlProtocol.DsigNs)).First().Value));
        var answer = SamlSigning.VerifyRedirectQuery(location.Query, [spCertificate]);
        Assert.Equal("state-1", answer.RelayState);
        Assert.Contains("InResponseTo=\"_lr1\"", answer.Xml);
        Assert.Contains("urn:oasis:names:tc:SAML:2.0:status:Success", answer.Xml);
        using var after = await t.Client.GetAsync("/admin/settings");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/sign-in", after.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_replayed_or_stale_idp_logout_request_is_refused_and_audited_and_the_new_session_stays()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        const string slo = "https://idp.example.test/slo";
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, sloUrl: slo);
        async Task SignInAsync()
        {
            var request = await StartAsync(t.Client);
            using var signedIn = await PostAcsAsync(t.Client, idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test")));
            Assert.Equal("/admin/settings", signedIn.Headers.Location!.OriginalString);
            await GetStringAsync(t.Client, "/admin/settings");
        }
        string LogoutRequest(string id, DateTime issued, string extra = "") => $"""<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{issued:yyyy-MM-ddTHH:mm:ssZ}"{extra} Destination="http://{t.Host}/sso/saml/{Provider}/slo"><saml:Issuer>{idp.EntityId}</saml:Issuer><saml:NameID>alice@bigstudio.test</saml:NameID></samlp:LogoutRequest>""";

        await SignInAsync();
        var query = SamlSigning.SignedRedirectQuery("SAMLRequest", LogoutRequest("_lr-once", DateTime.UtcNow), null, idp.Certificate);
        using (var first = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + query))
            Assert.StartsWith(slo + "?SAMLResponse=", first.Headers.Location!.AbsoluteUri);
        using (var signedOut = await t.Client.GetAsync("/admin/settings"))
            Assert.Contains("/account/sign-in", signedOut.Headers.Location!.OriginalString);

        // The person signs in again; the same signed, still recent LogoutRequest replayed must not end that session.
        await SignInAsync();
        using (var replayed = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + query))
            AssertGenericError(replayed);
        await GetStringAsync(t.Client, "/admin/settings");
        Assert.Contains("Replayed", Assert.Single(await RejectionsAsync(t.Name)));

        // Signed but too old, expired, or with a time that is not a time: refused (never a 500), the session stays.
        foreach (var (id, xml) in new[]
        {
            ("_lr-old", LogoutRequest("_lr-old", DateTime.UtcNow.AddHours(-1))),
            ("_lr-expired", LogoutRequest("_lr-expired", DateTime.UtcNow, $" NotOnOrAfter=\"{DateTime.UtcNow.AddMinutes(-10):yyyy-MM-ddTHH:mm:ssZ}\"")),
            ("_lr-bad-time", LogoutRequest("_lr-bad-time", DateTime.UtcNow, " NotOnOrAfter=\"yesterday\"")),
        })
        {
            using var refused = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + SamlSigning.SignedRedirectQuery("SAMLRequest", xml, null, idp.Certificate));
            AssertGenericError(refused);
        }
        await GetStringAsync(t.Client, "/admin/settings");
        var rejections = await RejectionsAsync(t.Name);
        Assert.Equal(4, rejections.Count);
        Assert.Contains("Expired", rejections[1]);
        Assert.Contains("Expired", rejections[2]);
        Assert.Contains("Malformed", rejections[3]);
    }

    [Fact]
    public async Task The_sign_out_page_offers_single_logout_to_a_saml_session_and_its_sign_out_sends_the_idp_a_logout_request()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        const string slo = "https://idp.example.test/slo";
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, sloUrl: slo);
        var request = await StartAsync(t.Client);
        using (var signedIn = await PostAcsAsync(t.Client, idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"))))
            Assert.Equal("/admin/settings", signedIn.Headers.Location!.OriginalString);

        // The page the navigation's "Sign out" leads to: its button posts to the SAML logout (antiforgery token
        // included); the studio-only sign-out stays available.
        var html = await GetStringAsync(t.Client, "/account/sign-out");
        Assert.Contains($"action=\"/sso/saml/{Provider}/logout\"", html);
        Assert.Contains("You signed in through Corp. Signing out also ends your session there.", html);
        Assert.Contains("Sign out of this studio only", html);
        var form = System.Text.RegularExpressions.Regex.Match(html, "<form[^>]*id=\"sign-out-external\"[^>]*>(.*?)</form>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(form.Success, html);
        using (var logout = await t.Client.PostAsync($"/sso/saml/{Provider}/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", AntiforgeryToken(form.Value))])))
        {
            var target = await LogoutTargetAsync(logout);
            Assert.StartsWith(slo + "?SAMLRequest=", target.AbsoluteUri);
            var sent = XDocument.Parse(TestSamlIdpInflate(target)).Root!;
            Assert.Equal("LogoutRequest", sent.Name.LocalName);
            Assert.Equal("alice@bigstudio.test", sent.Element(XName.Get("NameID", SamlProtocol.AssertionNs))!.Value);
        }
        using (var after = await t.Client.GetAsync("/admin/settings"))
            Assert.Contains("/account/sign-in", after.Headers.Location!.OriginalString);

        // Someone else signs in with a password in the same browser (the SAML cookie is still there): their sign-out
        // is the studio's own — the IdP session was not theirs.
        var bob = await Factory.CreateUserAsync(t.Name, [StudioRoles.Admin]);
        var (bobIn, _) = await Factory.SignInThroughPageAsync(t.Host, bob.Email!, client: t.Client);
        Assert.Equal(HttpStatusCode.Redirect, bobIn.StatusCode);
        var plain = await GetStringAsync(t.Client, "/account/sign-out");
        Assert.DoesNotContain("/sso/saml/", plain);
        Assert.DoesNotContain("You signed in through", plain);
    }

    [Fact]
    public async Task Without_a_logout_endpoint_at_the_idp_the_sign_out_page_signs_out_of_the_studio_only()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem);
        var request = await StartAsync(t.Client);
        using (var signedIn = await PostAcsAsync(t.Client, idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"))))
            Assert.Equal("/admin/settings", signedIn.Headers.Location!.OriginalString);
        var html = await GetStringAsync(t.Client, "/account/sign-out");
        Assert.DoesNotContain("/sso/saml/", html);
        using var signOut = await t.Client.PostAsync("/account/sign-out", new FormUrlEncodedContent([new("__RequestVerificationToken", AntiforgeryToken(html))]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await t.Client.GetAsync("/admin/settings");
        Assert.Contains("/account/sign-in", after.Headers.Location!.OriginalString);
    }

    /// <summary>
    /// Where the sign-out POST sends the browser next: a page (200, not a redirect — CSP's form-action would block a
    /// form's redirect to the IdP) with a meta refresh and a link to the IdP's logout, both the same URL; no script.
    /// </summary>
    private static async Task<Uri> LogoutTargetAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.Headers.Location}");
        Assert.DoesNotContain("<script", html);
        var link = System.Text.RegularExpressions.Regex.Match(html, "id=\"saml-logout-continue\" href=\"([^\"]+)\"");
        var refresh = System.Text.RegularExpressions.Regex.Match(html, "http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"");
        Assert.True(link.Success && refresh.Success, html);
        Assert.Equal(link.Groups[1].Value, refresh.Groups[1].Value);
        return new Uri(WebUtility.HtmlDecode(link.Groups[1].Value));
    }

    /// <summary>The XML of an HTTP-Redirect message (deflated, base64) in <paramref name="location"/>.</summary>
    private static string TestSamlIdpInflate(Uri location)
    {
        var query = HttpUtility.ParseQueryString(location.Query);
        using var inflate = new System.IO.Compression.DeflateStream(new MemoryStream(Convert.FromBase64String(query["SAMLRequest"]!)), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task With_the_post_binding_the_login_page_posts_an_enveloped_signed_AuthnRequest_without_inline_script()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, binding: "post");
        using (var login = await t.Client.GetAsync($"/sso/saml/{Provider}/login?returnUrl=%2F"))
        {
            // The platform CSP lets this page (and only this one) post its form to the IdP's origin.
            var csp = Assert.Single(login.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("form-action 'self' https://idp.example.test;", csp);
        }
        using (var other = await t.Client.GetAsync("/account/sign-in"))
            Assert.Contains("form-action 'self';", Assert.Single(other.Headers.GetValues("Content-Security-Policy")));
        var html = await GetStringAsync(t.Client, $"/sso/saml/{Provider}/login?returnUrl=%2F");
        Assert.Contains($"action=\"{idp.SsoUrl}\"", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("/_content/Studio.Modules.Sso/saml-post.js", html);
        await GetStringAsync(t.Client, "/_content/Studio.Modules.Sso/saml-post.js");
        var value = System.Text.RegularExpressions.Regex.Match(html, "name=\"SAMLRequest\" value=\"([^\"]+)\"").Groups[1].Value;
        var document = new System.Xml.XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        document.LoadXml(Encoding.UTF8.GetString(Convert.FromBase64String(WebUtility.HtmlDecode(value))));
        var metadata = XDocument.Parse(await GetStringAsync(t.Client, $"/sso/saml/{Provider}/metadata"));
        using var spCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(metadata.Descendants(XName.Get("X509Certificate", SamlProtocol.DsigNs)).First().Value));
        var signed = new System.Security.Cryptography.Xml.SignedXml(document);
        signed.LoadXml((System.Xml.XmlElement)document.GetElementsByTagName("Signature", SamlProtocol.DsigNs)[0]!);
        Assert.Equal("#" + document.DocumentElement!.GetAttribute("ID"), ((System.Security.Cryptography.Xml.Reference)signed.SignedInfo!.References[0]!).Uri);
        Assert.True(signed.CheckSignature(spCertificate, verifySignatureOnly: true));
        Assert.Equal(System.Security.Cryptography.Xml.SignedXml.XmlDsigRSASHA256Url, signed.SignatureMethod);
    }

    [Fact]
    public async Task Signing_out_sends_the_idp_a_signed_logout_request_whose_answer_is_accepted_once()
    {
        var t = await CreateTenantAsync(features: ["Studio.Sso.Saml"]);
        using var idp = new TestSamlIdp();
        const string slo = "https://idp.example.test/slo";
        await AddProviderAsync(Factory, t.Name, idp.EntityId, idp.SsoUrl, idp.CertificatePem, sloUrl: slo);
        var request = await StartAsync(t.Client);
        using (var signedIn = await PostAcsAsync(t.Client, idp.Response(request.AcsUrl, request.Issuer, request.Id, "alice@bigstudio.test", Attributes("alice@bigstudio.test"))))
            Assert.Equal("/admin/settings", signedIn.Headers.Location!.OriginalString);
        var token = AntiforgeryToken(await GetStringAsync(t.Client, "/admin/settings"));

        ExpectLog("Microsoft.AspNetCore.Antiforgery.DefaultAntiforgery", Microsoft.Extensions.Logging.LogLevel.Warning, "antiforgery request token was not provided");
        using (var noToken = await t.Client.PostAsync($"/sso/saml/{Provider}/logout", new FormUrlEncodedContent([])))
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        await GetStringAsync(t.Client, "/admin/settings");

        using var logout = await t.Client.PostAsync($"/sso/saml/{Provider}/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        var target = await LogoutTargetAsync(logout);
        Assert.StartsWith(slo + "?SAMLRequest=", target.AbsoluteUri);
        var metadata = XDocument.Parse(await GetStringAsync(t.Client, $"/sso/saml/{Provider}/metadata"));
        using var spCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(metadata.Descendants(XName.Get("X509Certificate", SamlProtocol.DsigNs)).First().Value));
        var sent = XDocument.Parse(SamlSigning.VerifyRedirectQuery(target.Query, [spCertificate]).Xml).Root!;
        Assert.Equal("LogoutRequest", sent.Name.LocalName);
        Assert.Equal("alice@bigstudio.test", sent.Element(XName.Get("NameID", SamlProtocol.AssertionNs))!.Value);
        using (var after = await t.Client.GetAsync("/admin/settings"))
            Assert.Contains("/account/sign-in", after.Headers.Location!.OriginalString);

        var answer = $"""<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_resp1" Version="2.0" IssueInstant="{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}" InResponseTo="{sent.Attribute("ID")!.Value}"><saml:Issuer>{idp.EntityId}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:LogoutResponse>""";
        var query = SamlSigning.SignedRedirectQuery("SAMLResponse", answer, null, idp.Certificate);
        using (var done = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + query))
            Assert.Equal("/", done.Headers.Location!.OriginalString);
        using (var again = await t.Client.GetAsync($"/sso/saml/{Provider}/slo?" + query))
            AssertGenericError(again);
        Assert.Contains("UnknownRequest", Assert.Single(await RejectionsAsync(t.Name)));
    }
}
