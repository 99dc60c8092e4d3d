using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Sso.Services.Saml;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>/admin/sso: the SP signing keys are listed; a next key is published, then switched to (audited).</summary>
public sealed class SsoAdminSpKeyTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static async Task<(HttpResponseMessage Response, string Html)> PostAsync(HttpClient client, string handler)
    {
        var html = await GetStringAsync(client, "admin/sso");
        var form = new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        var response = await client.PostAsync($"admin/sso?handler={handler}", new FormUrlEncodedContent(form));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private Task<IReadOnlyList<SpKey>> PublishedAsync(string tenant) =>
        Factory.InTenantAsync(tenant, sp => sp.GetRequiredService<SpKeyStore>().PublishedAsync());

    private static string Thumbprint(SpKey key)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(key.CertificatePem);
        return certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
    }

    [Fact]
    public async Task A_next_key_is_published_then_switched_to_from_the_admin_page()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Sso.Saml"]));
        var page = await GetStringAsync(t.Client, "admin/sso");
        var active = Assert.Single(await PublishedAsync(t.Name));
        Assert.Contains(Thumbprint(active), page);
        Assert.Contains("Publish a next key", page);
        Assert.DoesNotContain("Switch to the next key", page);

        // Switching with no next key is refused on the page; nothing changes.
        var (refused, refusedHtml) = await PostAsync(t.Client, "PromoteNextKey");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("There is no next key to switch to", refusedHtml);
        Assert.Equal(active.Id, Assert.Single(await PublishedAsync(t.Name)).Id);

        var (published, _) = await PostAsync(t.Client, "CreateNextKey");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var keys = await PublishedAsync(t.Name);
        var next = Assert.Single(keys, k => k.Status == SpKeyStore.Next);
        page = await GetStringAsync(t.Client, "admin/sso");
        Assert.Contains(Thumbprint(next), page);
        Assert.Contains("Switch to the next key", page);

        var (switched, _) = await PostAsync(t.Client, "PromoteNextKey");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var now = Assert.Single(await PublishedAsync(t.Name));
        Assert.Equal(next.Id, now.Id);
        Assert.Equal(SpKeyStore.Active, now.Status);

        var audit = await Factory.AuditAsync(t.Name, "sso.saml.sp-key");
        Assert.Equal(["sso.saml.sp-key.next-published", "sso.saml.sp-key.promoted"], audit.Select(a => a.Action));
        Assert.Contains(Thumbprint(next), audit[1].After);
    }

    [Fact]
    public async Task Without_saml_there_are_no_keys_to_manage()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Sso.Oidc"]));
        Assert.DoesNotContain("Publish a next key", await GetStringAsync(t.Client, "admin/sso"));
        var (response, _) = await PostAsync(t.Client, "CreateNextKey");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
