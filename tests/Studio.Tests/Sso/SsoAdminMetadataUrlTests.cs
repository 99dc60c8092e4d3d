using System.Net;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>/admin/sso/saml/{id}: a metadata URL is fetched and applied on save; a URL that fails is a form error and saves nothing.</summary>
public sealed class SsoAdminMetadataUrlTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(HttpClient client, string page, Dictionary<string, string> fields)
    {
        var html = await GetStringAsync(client, page);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        var response = await client.PostAsync(page, new FormUrlEncodedContent(form));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Form(string url) => new()
    {
        ["Input.Id"] = "corp", ["Input.Label"] = "Corp", ["Input.Enabled"] = "true", ["Input.MetadataUrl"] = url,
        ["Input.SsoBinding"] = "redirect", ["Input.RequireSigned"] = "assertion", ["Input.ClockSkewSeconds"] = "120", ["Input.MetadataRefreshHours"] = "12",
    };

    [Fact]
    public async Task A_metadata_url_is_fetched_and_applied_on_save()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Sso.Saml"]));
        using var idp = new TestSamlIdp();
        using var server = new SamlMetadataRefreshTests.MetadataServer(() => SamlMetadataRefreshTests.Metadata(idp));

        var (response, html) = await PostFormAsync(t.Client, "admin/sso/saml/new", Form(server.Url));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, Truncate(html));
        var saved = (await Factory.InSsoAsync(t.Name, s => s.GetAsync("corp")))!;
        Assert.Equal(idp.EntityId, saved.Saml!.IdpEntityId);
        Assert.Equal(idp.SsoUrl, saved.Saml.SsoUrl);
        Assert.Equal([idp.CertificatePem], saved.Saml.SigningCertificates);
        Assert.Equal(server.Url, saved.Saml.MetadataUrl);
        Assert.Equal(12, saved.Saml.MetadataRefreshHours);
        Assert.True(saved.Saml.MetadataFetchedUtc > DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task A_metadata_url_that_cannot_be_read_or_is_not_https_is_a_form_error_and_nothing_is_written()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Sso.Saml"]));
        using var server = new SamlMetadataRefreshTests.MetadataServer(() => "<html><body>not metadata</body></html>");

        var (unreadable, html) = await PostFormAsync(t.Client, "admin/sso/saml/new", Form(server.Url));
        Assert.Equal(HttpStatusCode.OK, unreadable.StatusCode);
        Assert.Contains("The metadata could not be read", html);
        Assert.Contains("data-valmsg-for=\"Input.MetadataUrl\"", html);
        Assert.Null(await Factory.InSsoAsync(t.Name, s => s.GetAsync("corp")));

        var (plain, plainHtml) = await PostFormAsync(t.Client, "admin/sso/saml/new", Form("http://idp.example.com/metadata"));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Contains("The metadata address must be an https address.", plainHtml);
        Assert.Null(await Factory.InSsoAsync(t.Name, s => s.GetAsync("corp")));
        Assert.Empty(await Factory.AuditAsync(t.Name, "sso.provider"));
    }
}
