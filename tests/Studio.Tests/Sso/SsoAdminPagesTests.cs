using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>/admin/sso: who may use it, SAML from metadata, OIDC with a write-only secret, refusals as form errors, SSO-only.</summary>
public sealed class SsoAdminPagesTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Features = ["Studio.Sso.Saml", "Studio.Sso.Oidc"];

    private static async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(HttpClient client, string page, Dictionary<string, string> fields, string? handler = null)
    {
        var html = await GetStringAsync(client, page);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        var response = await client.PostAsync(handler is null ? page : $"{page}?handler={handler}", new FormUrlEncodedContent(form));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string Metadata(string certificatePem) => $"""
        <?xml version="1.0"?>
        <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.bigstudio.example/metadata">
          <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
            <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{string.Concat(certificatePem.Split('\n').Where(l => !l.StartsWith("-----")))}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
            <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.bigstudio.example/slo"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.bigstudio.example/sso/post"/>
            <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.bigstudio.example/sso/redirect"/>
          </md:IDPSSODescriptor>
        </md:EntityDescriptor>
        """;

    [Fact]
    public async Task Only_owners_and_admins_reach_the_pages_and_the_features_gate_them()
    {
        var t = await CreateTenantAsync(Features);
        foreach (var role in new[] { StudioRoles.Engineer, StudioRoles.FrontDesk, StudioRoles.Client })
        {
            using var denied = await (await Factory.ClientAsAsync(t, role)).GetAsync("admin/sso");
            Assert.True(denied.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{role}: {(int)denied.StatusCode}");
        }
        var admin = await Factory.ClientAsAsync(t, StudioRoles.Admin);
        foreach (var page in new[] { "admin/sso", "admin/sso/saml/new", "admin/sso/oidc/new" })
        {
            var html = await GetStringAsync(admin, page);
            Assert.DoesNotContain("style=\"", html.Replace("style=\"display:none\"", ""));
            Assert.DoesNotContain("<script>", html);
            Assert.DoesNotContain(" onclick=", html);
            Assert.Contains("href=\"/admin/sso\"", html);
        }
        await GetStringAsync(admin, "admin/sso/saml/missing", HttpStatusCode.NotFound);
        await GetStringAsync(admin, "admin/sso/ldap/new", HttpStatusCode.NotFound);

        var samlOnly = await Factory.AsAsync(await CreateTenantAsync(["Studio.Sso.Saml"]));
        await GetStringAsync(samlOnly.Client, "admin/sso/oidc/new", HttpStatusCode.NotFound);
        var without = await Factory.AsAsync(await CreateTenantAsync());
        await GetStringAsync(without.Client, "admin/sso", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_saml_provider_is_added_from_pasted_metadata_and_its_sp_urls_are_shown()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Features));
        var certificate = CertificatePem();
        var (response, html) = await PostFormAsync(t.Client, "admin/sso/saml/new", new()
        {
            ["Input.Id"] = "bigstudio", ["Input.Label"] = "Big Studio", ["Input.Enabled"] = "true", ["Input.EmailDomains"] = "bigstudio.com, BigStudio.co.uk",
            ["Input.MetadataXml"] = Metadata(certificate), ["Input.GroupRoles"] = "studio-admins = admin\nEngineers=engineer",
            ["Input.DefaultRole"] = "frontdesk", ["Input.JustInTimeProvisioning"] = "true", ["Input.SsoBinding"] = "post",
            ["Input.RequireSigned"] = "assertion", ["Input.ClockSkewSeconds"] = "120", ["Input.MetadataRefreshHours"] = "24",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, Truncate(html));
        Assert.EndsWith("/admin/sso/saml/bigstudio", response.Headers.Location!.ToString());
        var saved = (await Factory.InSsoAsync(t.Name, s => s.GetAsync("bigstudio")))!;
        Assert.Equal("https://idp.bigstudio.example/metadata", saved.Saml!.IdpEntityId);
        Assert.Equal("https://idp.bigstudio.example/sso/redirect", saved.Saml.SsoUrl);
        Assert.Equal("redirect", saved.Saml.SsoBinding);
        Assert.Equal("https://idp.bigstudio.example/slo", saved.Saml.SloUrl);
        Assert.Equal(certificate.Trim(), saved.Saml.SigningCertificates.Single().Trim());
        Assert.Equal(["bigstudio.com", "bigstudio.co.uk"], saved.EmailDomains);
        Assert.Equal("engineer", saved.GroupRoles["Engineers"]);

        var page = await GetStringAsync(t.Client, "admin/sso/saml/bigstudio");
        Assert.Contains($"http://{t.Host}/sso/saml/bigstudio/metadata", page);
        Assert.Contains($"http://{t.Host}/sso/saml/bigstudio/acs", page);
        Assert.Contains("Big Studio", await GetStringAsync(t.Client, "admin/sso"));

        // Broken metadata and a bad mapping are form errors; nothing changes.
        var (bad, badHtml) = await PostFormAsync(t.Client, "admin/sso/saml/bigstudio", new()
        {
            ["Input.Version"] = "1", ["Input.Label"] = "Changed", ["Input.MetadataXml"] = "<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>",
            ["Input.SsoBinding"] = "redirect", ["Input.RequireSigned"] = "assertion", ["Input.ClockSkewSeconds"] = "120", ["Input.MetadataRefreshHours"] = "24",
        });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("metadata could not be read", badHtml);
        var (badRole, badRoleHtml) = await PostFormAsync(t.Client, "admin/sso/saml/bigstudio", new()
        {
            ["Input.Version"] = "1", ["Input.Label"] = "Changed", ["Input.GroupRoles"] = "x = superuser", ["Input.IdpEntityId"] = "e", ["Input.SsoUrl"] = "https://i.example/sso",
            ["Input.Certificates"] = certificate, ["Input.SsoBinding"] = "redirect", ["Input.RequireSigned"] = "assertion", ["Input.ClockSkewSeconds"] = "abc", ["Input.MetadataRefreshHours"] = "24",
        });
        Assert.Equal(HttpStatusCode.OK, badRole.StatusCode);
        Assert.Contains("&quot;abc&quot; is not a valid value", badRoleHtml);
        Assert.Equal("Big Studio", (await Factory.InSsoAsync(t.Name, s => s.GetAsync("bigstudio")))!.Label);

        var (deleted, _) = await PostFormAsync(t.Client, "admin/sso/saml/bigstudio", [], "Delete");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await Factory.InSsoAsync(t.Name, s => s.GetAsync("bigstudio")));
    }

    [Fact]
    public async Task An_oidc_provider_keeps_its_secret_write_only_and_sso_only_is_set_on_the_index()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Features));
        const string secret = "page-secret-7f3a9";
        var (response, html) = await PostFormAsync(t.Client, "admin/sso/oidc/new", new()
        {
            ["Input.Id"] = "google", ["Input.Label"] = "Google", ["Input.Enabled"] = "true", ["Input.Preset"] = "google", ["Input.Authority"] = "",
            ["Input.ClientId"] = "client.apps.example", ["Input.ClientSecret"] = secret, ["Input.Scopes"] = "",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, Truncate(html));
        var saved = (await Factory.InSsoAsync(t.Name, s => s.GetAsync("google")))!;
        Assert.Equal("https://accounts.google.com", saved.Oidc!.Authority);
        Assert.Equal(["openid", "profile", "email"], saved.Oidc.Scopes);
        Assert.Equal(secret, await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("google")));
        var page = await GetStringAsync(t.Client, "admin/sso/oidc/google");
        Assert.DoesNotContain(secret, page);
        Assert.Contains($"http://{t.Host}/sso/oidc/google/callback", page);

        // Saving without typing the secret keeps it.
        var (again, _) = await PostFormAsync(t.Client, "admin/sso/oidc/google", new()
        {
            ["Input.Version"] = "1", ["Input.Label"] = "Google Workspace", ["Input.Enabled"] = "true", ["Input.Preset"] = "google",
            ["Input.Authority"] = "https://accounts.google.com", ["Input.ClientId"] = "client.apps.example", ["Input.Scopes"] = "openid email",
        });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(secret, await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("google")));

        var (on, _) = await PostFormAsync(t.Client, "admin/sso", new() { ["SsoOnlyStaff"] = "true" }, "Settings");
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.True((await Factory.InSsoAsync(t.Name, s => s.GetSettingsAsync())).SsoOnlyStaff);
        Assert.Contains("checked", await GetStringAsync(t.Client, "admin/sso"));
    }

    [Fact]
    public async Task Sso_only_cannot_be_turned_on_without_an_enabled_provider()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Features));
        var (response, html) = await PostFormAsync(t.Client, "admin/sso", new() { ["SsoOnlyStaff"] = "true" }, "Settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Enable an identity provider first", html);
        Assert.False((await Factory.InSsoAsync(t.Name, s => s.GetSettingsAsync())).SsoOnlyStaff);
    }
}
