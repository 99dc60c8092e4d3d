using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Api.Services;
using Studio.Tests.Infrastructure;
using static Studio.Tests.Sso.SsoAdminTestKit;

namespace Studio.Tests.Sso;

/// <summary>/api/v1/tenants/{name}/sso: operators configure a tenant's identity providers and SSO-only setting.</summary>
public sealed class SsoApiTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task<HttpClient> OperatorClientAsync(string? reseller = null)
    {
        var record = await RecordAsync("Default");
        if (!record.Features.Contains("Studio.Api") || !record.Features.Contains("Studio.Audit"))
            await ChangeFeaturesAsync("Default", ["Studio.Api", "Studio.Audit"], []);
        var created = await Factory.InTenantAsync("Default", sp => sp.GetRequiredService<ApiKeyStore>().CreateAsync("sso " + Guid.NewGuid().ToString("N")[..6], reseller, "tests"));
        var client = Factory.ClientFor("localhost", handleCookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Key);
        return client;
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {Truncate(body)}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task An_operator_configures_a_tenants_providers_and_settings_and_the_secret_stays_write_only()
    {
        var api = await OperatorClientAsync();
        var t = await CreateTenantAsync(["Studio.Sso.Saml", "Studio.Sso.Oidc"]);
        var basePath = $"api/v1/tenants/{t.Name}/sso";

        var saml = await JsonAsync(await api.PutAsync($"{basePath}/providers/bigstudio", Json(new
        {
            protocol = "saml", label = "Big Studio", enabled = true, emailDomains = new[] { "bigstudio.com" }, justInTimeProvisioning = true,
            defaultRole = "engineer", groupRoles = new Dictionary<string, string> { ["admins"] = "admin" },
            saml = new { idpEntityId = "https://idp.example/e", ssoUrl = "https://idp.example/sso", signingCertificates = new[] { CertificatePem() } },
        })), HttpStatusCode.OK);
        Assert.Equal(1, saml.GetProperty("version").GetInt32());
        Assert.Equal("bigstudio", saml.GetProperty("id").GetString());

        const string secret = "api-secret-91c2";
        var oidc = await JsonAsync(await api.PutAsync($"{basePath}/providers/okta", Json(new
        {
            protocol = "oidc", label = "Okta", enabled = true, clientSecret = secret,
            oidc = new { preset = "okta", authority = "https://dev.okta.example", clientId = "abc", scopes = new[] { "openid", "email" } },
        })), HttpStatusCode.OK);
        Assert.True(oidc.GetProperty("oidc").GetProperty("hasClientSecret").GetBoolean());
        Assert.Equal(secret, await Factory.InSsoAsync(t.Name, s => s.ClientSecretAsync("okta")));

        var list = await JsonAsync(await api.GetAsync($"{basePath}/providers"), HttpStatusCode.OK);
        Assert.Equal(2, list.GetArrayLength());
        Assert.DoesNotContain(secret, list.GetRawText());
        Assert.DoesNotContain("clientSecretProtected", list.GetRawText());

        // Bad input and a stale version are 400 problems; nothing changes.
        var bad = await api.PutAsync($"{basePath}/providers/bad", Json(new { protocol = "saml", label = "x", saml = new { ssoUrl = "ftp://x" } }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var stale = await api.PutAsync($"{basePath}/providers/bigstudio", Json(new
        {
            protocol = "saml", label = "Stale", version = 7, saml = new { idpEntityId = "e", ssoUrl = "https://idp.example/sso", signingCertificates = new[] { CertificatePem() } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsync($"{basePath}/providers/x", new StringContent("{nope", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal("Big Studio", (await JsonAsync(await api.GetAsync($"{basePath}/providers/bigstudio"), HttpStatusCode.OK)).GetProperty("label").GetString());

        var settings = await JsonAsync(await api.PutAsync($"{basePath}/settings", Json(new { ssoOnlyStaff = true })), HttpStatusCode.OK);
        Assert.True(settings.GetProperty("ssoOnlyStaff").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsync($"{basePath}/settings", Json(new { ssoOnlyStaff = "yes" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"{basePath}/providers/okta")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"{basePath}/providers/okta")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"{basePath}/providers/okta")).StatusCode);

        // The tenant's own audit trail names the key.
        var audit = await Factory.AuditAsync(t.Name, "sso.");
        Assert.Equal(["sso.provider.created", "sso.provider.created", "sso.settings.changed", "sso.provider.deleted"], audit.Select(a => a.Action));

        // A tenant without SSO, an unknown tenant, and no key.
        var plain = await CreateTenantAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"api/v1/tenants/{plain.Name}/sso/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("api/v1/tenants/no-such-tenant/sso/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Factory.ClientFor("localhost", handleCookies: false).GetAsync($"{basePath}/providers")).StatusCode);

        // A reseller's key does not reach a tenant that is not its own: the same 404 as a missing one, nothing written.
        var reseller = await Factory.Get<Studio.Platform.IResellerDirectory>().SaveAsync(new Studio.Platform.PlatformActor("op-sso", "Operator"),
            new Studio.Platform.ResellerInfo { Id = NewName("r"), Name = "Reseller", TenantQuota = 5, Plans = ["studio"] }, null);
        var resellerApi = await OperatorClientAsync(reseller.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await resellerApi.GetAsync($"{basePath}/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await resellerApi.PutAsync($"{basePath}/settings", Json(new { ssoOnlyStaff = false }))).StatusCode);
        Assert.True((await Factory.InSsoAsync(t.Name, s => s.GetSettingsAsync())).SsoOnlyStaff);
    }
}
