using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Tests.Sso;

namespace Studio.E2E.Tests;

/// <summary>
/// OpenID Connect in a real browser: a staff member of a tenant signs in through a real provider — OpenIddict's
/// server on loopback (the same one the integration tests use), with its own login page, authorization code flow
/// with PKCE, signed ID tokens — and lands on the tenant's staff dashboard with the role mapped from their group.
/// </summary>
public sealed class OidcOpenIddictTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    [SkippableFact]
    public async Task A_staff_member_signs_in_through_the_openid_connect_providers_login_page_onto_the_staff_dashboard()
    {
        var chromium = fixture.Chromium;
        _ = chromium;
        await using var idp = await OidcTestServer.StartAsync();
        // Its first request compiles OpenIddict's pipeline; warm it up so the tenant's discovery is not the first.
        // The token endpoint too (a refused grant still runs its pipeline): the tenant redeems the code server-side,
        // within its backchannel timeout, and a cold first redemption on a loaded machine can outlast it.
        using (var warmUp = new HttpClient { Timeout = TimeSpan.FromMinutes(2) })
        {
            foreach (var path in new[] { ".well-known/openid-configuration", ".well-known/jwks" })
                (await warmUp.GetAsync(new Uri(idp.Authority, path))).EnsureSuccessStatusCode();
            using var refused = await warmUp.PostAsync(new Uri(idp.Authority, "connect/token"),
                new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = "warm-up" }));
        }

        var id = Names.Unique();
        var tenant = $"oidc-{id}";
        var host = $"{tenant}.localhost";
        await fixture.Server.CreateTenantAsync(new TenantCreateRequest { Name = tenant, Hosts = [host], Features = ["Studio.Sso.Oidc"] });
        var client = new OidcTestClient("studio-" + id, "secret-" + Guid.NewGuid().ToString("N"),
            [fixture.Server.UrlFor(host, "/sso/oidc/corp/callback").AbsoluteUri]);
        idp.Clients[client.ClientId] = client;
        var person = new OidcTestUser("dana", "secret-pass-" + id, "sub-dana-" + id, $"dana-{id}@bigstudio.test", "Dana Director",
            ["studio-admins", "everyone"], ["pwd"]);
        idp.Users[person.Username] = person;
        await fixture.Server.InTenantAsync(tenant, sp => sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
        {
            Id = "corp", Protocol = SsoProtocols.Oidc, Label = "Big Studio", Enabled = true, JustInTimeProvisioning = true,
            GroupRoles = new Dictionary<string, string> { ["studio-admins"] = StudioRoles.Admin },
            Oidc = new OidcProviderSettings
            {
                Preset = "custom", Authority = idp.Authority.ToString(), ClientId = client.ClientId, Scopes = ["openid", "profile", "email", "groups"],
            },
        }, client.ClientSecret, AuditActor.System));

        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        browser.Expect(new Uri(idp.Authority, "/favicon.ico"), 404);
        // The tenant's sign-in page offers the provider's button; it starts the code flow.
        await browser.GotoAsync(fixture.Server.UrlFor(host, "/account/sign-in?returnUrl=%2Fadmin%2Fsettings"));
        await page.Locator("a[data-provider=corp]").ClickAsync();
        await page.WaitForPageAsync(url => url.StartsWith(idp.Authority.AbsoluteUri + "login", StringComparison.Ordinal));
        var authorize = browser.FindResponse(u => u.AbsolutePath == "/connect/authorize");
        Assert.NotNull(authorize);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorize.Url).Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));

        await page.Locator("input[name=username]").FillAsync(person.Username);
        await page.Locator("input[name=password]").FillAsync(person.Password);
        await page.Locator("button").ClickAsync();
        // The tenant's admin area (its staff dashboard), which only the mapped admin role may open.
        await page.WaitForPageAsync(fixture.Server.UrlFor(host, "/admin/settings").AbsoluteUri, TimeSpan.FromSeconds(60));
        var dashboard = await browser.GotoAsync(fixture.Server.UrlFor(host, "/admin/settings"));
        Assert.Equal(200, dashboard.Status);
        await browser.ScreenshotAsync($"{fixture.Engine}-oidc-openiddict-signed-in");

        // Provisioned just in time, linked to the provider's subject, with the role its group maps to.
        var roles = await fixture.Server.InTenantAsync(tenant, async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StudioUser>>();
            var user = await users.FindByEmailAsync(person.Email);
            Assert.NotNull(user);
            Assert.Contains(await users.GetLoginsAsync(user), l => l.LoginProvider == "sso:corp" && l.ProviderKey == person.Subject);
            return await users.GetRolesAsync(user);
        });
        Assert.Equal([StudioRoles.Admin], roles);
        browser.AssertClean();
    }
}
