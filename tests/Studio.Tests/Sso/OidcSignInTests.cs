using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Audit.Services;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Oidc;
using Studio.Modules.Sso.Services.Providers;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Sso;

/// <summary>The test OpenID Connect provider, one per test class.</summary>
public sealed class OidcServerFixture : IAsyncLifetime
{
    public OidcTestServer Server { get; private set; } = null!;
    public async Task InitializeAsync()
    {
        Server = await OidcTestServer.StartAsync();
        // Warm the provider up (its first request compiles OpenIddict's pipeline): on a loaded CI machine that took
        // longer than the tenant's 15-second backchannel timeout, and the first test's discovery failed.
        using var warmUp = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        foreach (var path in new[] { ".well-known/openid-configuration", ".well-known/jwks" })
            (await warmUp.GetAsync(new Uri(Server.Authority, path))).EnsureSuccessStatusCode();
    }
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// OpenID Connect sign-in end to end: the tenant's login endpoint challenges a real provider (OpenIddict on
/// loopback), the person signs in on its login form, the code comes back to the tenant's callback, is exchanged with
/// PKCE and the client secret, the ID token is checked (signature, issuer, audience, nonce) and the person lands
/// signed in to the tenant with the mapped role. State, nonce and tenant are checked.
/// </summary>
public sealed partial class OidcSignInTests(StudioFactory factory, OidcServerFixture idp) : StudioTest<StudioFactory>(factory), IClassFixture<OidcServerFixture>
{
    private const string Provider = "corp";
    private OidcTestServer Idp => idp.Server;

    private async Task<(TestTenant Tenant, OidcTestClient Client)> TenantWithProviderAsync(bool trustMfa = true, bool jit = true, OidcTestClient? client = null,
        string[]? moreFeatures = null, bool prefixed = false)
    {
        var tenant = await CreateTenantAsync(features: ["Studio.Sso.Oidc", .. moreFeatures ?? []],
            configure: prefixed ? r => r with { Hosts = [], Prefix = "p" + r.Name } : null);
        client ??= new OidcTestClient("client-" + Guid.NewGuid().ToString("N")[..8], "s3cret-" + Guid.NewGuid().ToString("N"), []);
        client.RedirectUris.Add($"http://{tenant.Host}{(prefixed ? "/p" + tenant.Name : "")}/sso/oidc/{Provider}/callback");
        Idp.Clients[client.ClientId] = client;
        await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
        {
            Id = Provider, Protocol = SsoProtocols.Oidc, Label = "Corp", Enabled = true, JustInTimeProvisioning = jit,
            GroupRoles = new Dictionary<string, string> { ["studio-admins"] = StudioRoles.Admin },
            TrustProviderMultiFactor = trustMfa,
            Oidc = new OidcProviderSettings
            {
                Preset = "custom", Authority = Idp.Authority.ToString(), ClientId = client.ClientId, Scopes = ["openid", "profile", "email", "groups"],
            },
        }, client.ClientSecret, AuditActor.System));
        return (tenant, client);
    }

    private OidcTestUser NewUser(string[]? groups = null, string[]? amr = null, bool emailVerified = true)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var user = new OidcTestUser("u" + id, "pw-" + id, "sub-" + id, $"u{id}@bigstudio.test", "Alice " + id,
            groups ?? ["studio-admins"], amr ?? ["pwd", "mfa"], emailVerified);
        Idp.Users[user.Username] = user;
        return user;
    }

    /// <summary>A browser: the tenant's client for its host, a cookie-keeping client for the provider.</summary>
    private sealed class Browser(HttpClient studio, string studioHost) : IDisposable
    {
        private readonly HttpClient _idp = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        public HttpClient Studio => studio;

        public HttpClient For(Uri url) => url.Host == studioHost ? studio : _idp;

        /// <summary>Follows redirects (across both hosts) until a page answers; returns it and its address.</summary>
        /// <summary>Follows redirects (across both hosts) until a page answers, or until the next address is one
        /// <paramref name="stop"/> picks (then the redirect and that address are returned, not followed).</summary>
        public async Task<(HttpResponseMessage Response, Uri Url)> GoAsync(Uri url, Func<Uri, Uri>? rewrite = null, Func<Uri, bool>? stop = null, int max = 10)
        {
            for (var i = 0; ; i++)
            {
                var response = await For(url).GetAsync(url);
                if ((int)response.StatusCode is < 300 or >= 400 || i == max)
                    return (response, url);
                url = new Uri(url, response.Headers.Location!);
                if (rewrite is not null)
                    url = rewrite(url);
                if (stop?.Invoke(url) == true)
                    return (response, url);
            }
        }

        public async Task<(HttpResponseMessage Response, Uri Url)> LoginAsync(Uri loginPage, OidcTestUser user, Func<Uri, Uri>? rewrite = null,
            Func<Uri, bool>? stop = null)
        {
            var page = await _idp.GetStringAsync(loginPage);
            var returnUrl = WebUtility.HtmlDecode(ReturnUrlRegex().Match(page).Groups[1].Value);
            var response = await _idp.PostAsync(new Uri(loginPage, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["returnUrl"] = returnUrl, ["username"] = user.Username, ["password"] = user.Password,
            }));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var next = new Uri(loginPage, response.Headers.Location!);
            return await GoAsync(rewrite is null ? next : rewrite(next), rewrite, stop);
        }

        public void Dispose() => _idp.Dispose();
    }

    private static Uri StudioUrl(TestTenant tenant, string path) => new($"http://{tenant.Host}{path}");

    /// <summary>Starts the sign-in on the tenant and returns the provider's login page.</summary>
    private static async Task<Uri> StartAsync(Browser browser, TestTenant tenant, string returnUrl = "/admin/staff", Func<Uri, Uri>? rewrite = null)
    {
        var (page, url) = await browser.GoAsync(StudioUrl(tenant, $"/sso/oidc/{Provider}/login?returnUrl={Uri.EscapeDataString(returnUrl)}"), rewrite);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("/login", url.AbsolutePath);
        return url;
    }

    private static bool HasSession(HttpResponseMessage response, TestTenant tenant) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".Studio.Session." + tenant.Name + "=", StringComparison.Ordinal));

    /// <summary>Refused: sent to the generic failure page, no session.</summary>
    private static void AssertRefused(HttpResponseMessage response, TestTenant tenant)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sso/error", response.Headers.Location?.OriginalString);
        Assert.False(HasSession(response, tenant));
    }

    private Task<IReadOnlyList<AuditEntry>> AuditAsync(TestTenant tenant, string action) =>
        Factory.InTenantAsync(tenant.Name, async sp =>
            (await sp.GetRequiredService<AuditLog>().QueryAsync(new AuditQuery(Action: action), CancellationToken.None)).Entries);

    [Fact]
    public async Task A_person_signs_in_through_the_provider_into_the_tenant_with_the_mapped_role()
    {
        var (tenant, _) = await TenantWithProviderAsync();
        var person = NewUser();
        using var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);

        var login = await StartAsync(browser, tenant, "/admin/staff");
        // The authorization request: code flow with PKCE (S256), state and nonce, the tenant's own callback.
        var authorize = Uri.UnescapeDataString(Uri.UnescapeDataString(login.Query));
        Assert.Contains("response_type=code", authorize);
        Assert.Contains("code_challenge_method=S256", authorize);
        Assert.Contains("nonce=", authorize);
        Assert.Contains("state=", authorize);
        Assert.Contains($"redirect_uri=http://{tenant.Host}/sso/oidc/{Provider}/callback", authorize);

        var (landed, url) = await browser.LoginAsync(login, person);
        Assert.Equal(tenant.Host, url.Host);
        Assert.Equal("/admin/staff", url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);

        await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var user = await users.FindByEmailAsync(person.Email);
            Assert.NotNull(user);
            Assert.Contains(StudioRoles.Admin, await users.GetRolesAsync(user));
            Assert.Contains(await users.GetLoginsAsync(user), l => l.LoginProvider == "sso:" + Provider && l.ProviderKey == person.Subject);
            return 0;
        });

        // The second time the same account is found by its link.
        using var again = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        var (second, secondUrl) = await again.LoginAsync(await StartAsync(again, tenant, "/"), person);
        Assert.Equal(tenant.Host, secondUrl.Host);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var linked = await Factory.InTenantAsync(tenant.Name, sp =>
            sp.GetRequiredService<UserManager<StudioUser>>().FindByLoginAsync("sso:" + Provider, person.Subject));
        Assert.Equal(person.Email, linked?.Email);
    }

    [Theory]
    [InlineData(new[] { "pwd" }, true)]       // one factor at the provider: the tenant's own 2FA is asked
    [InlineData(new[] { "pwd", "otp" }, false)] // the provider's MFA (amr) is trusted: signed in at once
    public async Task An_account_with_two_factor_is_asked_for_it_unless_the_providers_MFA_is_trusted(string[] amr, bool asked)
    {
        var (tenant, _) = await TenantWithProviderAsync(trustMfa: true, moreFeatures: ["Studio.TwoFactor"]);
        var person = NewUser(amr: amr);
        var account = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Admin], person.Email);
        await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var stored = (await users.FindByIdAsync(account.Id))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            return await users.SetTwoFactorEnabledAsync(stored, true);
        });
        using var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        var callback = await FollowToCallbackAsync(browser, await StartAsync(browser, tenant), person);
        var response = await browser.Studio.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        if (asked)
        {
            Assert.StartsWith(IdentityPaths.TwoFactor, location);
            Assert.False(HasSession(response, tenant));
        }
        else
        {
            Assert.Equal("/admin/staff", location);
            Assert.True(HasSession(response, tenant));
        }
    }

    /// <summary>Signs in at the provider and returns the callback address it sends the browser to (not followed).</summary>
    private static async Task<Uri> FollowToCallbackAsync(Browser browser, Uri login, OidcTestUser person, Func<Uri, Uri>? rewrite = null)
    {
        var (_, callback) = await browser.LoginAsync(login, person, rewrite, url => url.AbsolutePath.EndsWith("/callback", StringComparison.Ordinal));
        Assert.EndsWith("/callback", callback.AbsolutePath);
        return callback;
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_clear_audited_refusal_not_an_error()
    {
        ExpectLog("Studio.Modules.Sso.Services.Oidc.OidcEndpoints", Microsoft.Extensions.Logging.LogLevel.Warning, "could not be reached");
        var tenant = await CreateTenantAsync(features: ["Studio.Sso.Oidc"]);
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
        {
            Id = Provider, Protocol = SsoProtocols.Oidc, Label = "Down", Enabled = true, JustInTimeProvisioning = true,
            Oidc = new OidcProviderSettings { Preset = "custom", Authority = "http://127.0.0.1:1/", ClientId = "c", Scopes = ["openid"] },
        }, "secret", AuditActor.System));

        using var response = await tenant.Client.GetAsync($"/sso/oidc/{Provider}/login");
        AssertRefused(response, tenant);
        Assert.Contains(await AuditAsync(tenant, OidcEvents.RejectedAction), e => e.Target == Provider && e.AfterJson!.Contains("provider_unreachable"));
    }

    [Fact]
    public async Task A_forged_state_is_refused_and_audited()
    {
        ExpectLog("Studio.Modules.Sso.Services.Oidc.StudioOidcHandler", Microsoft.Extensions.Logging.LogLevel.Warning, ".*", required: false);
        var (tenant, _) = await TenantWithProviderAsync();
        using var client = Factory.ClientFor(tenant.Host);
        var response = await client.GetAsync($"/sso/oidc/{Provider}/callback?code=abc&state=forged");
        AssertRefused(response, tenant);
        // One failure page for SAML and OpenID Connect: the same generic message; the old OIDC-only page is gone.
        var body = await GetStringAsync(client, "/sso/error", HttpStatusCode.Forbidden);
        Assert.Contains("Signing in with your organisation&#x27;s account did not work.", body);
        await GetStringAsync(client, "/sso/oidc/failed", HttpStatusCode.NotFound);
        Assert.DoesNotContain("state", body, StringComparison.OrdinalIgnoreCase); // the reason is audited, not shown
        Assert.Contains(await AuditAsync(tenant, OidcEvents.RejectedAction), e => e.Target == Provider && e.AfterJson!.Contains("invalid_state"));
    }

    [Fact]
    public async Task A_token_for_another_nonce_is_refused()
    {
        ExpectLog("Studio.Modules.Sso.Services.Oidc.StudioOidcHandler", Microsoft.Extensions.Logging.LogLevel.Error, "Exception occurred while processing message", required: false);
        var (tenant, _) = await TenantWithProviderAsync();
        var person = NewUser();
        using var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        // The authorization request reaches the provider with a nonce the tenant did not issue (an injected code).
        static Uri SwapNonce(Uri url) => url.AbsolutePath == "/connect/authorize"
            ? new Uri(NonceRegex().Replace(url.ToString(), "nonce=attacker-nonce"))
            : url;
        var login = await StartAsync(browser, tenant, rewrite: SwapNonce);
        var callback = await FollowToCallbackAsync(browser, login, person);
        var response = await browser.Studio.GetAsync(callback);
        AssertRefused(response, tenant);
        Assert.Contains(await AuditAsync(tenant, OidcEvents.RejectedAction), e => e.AfterJson!.Contains("invalid_nonce"));
        Assert.Null(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync(person.Email)));
    }

    [Fact]
    public async Task Tenant_B_refuses_tenant_As_callback_and_state()
    {
        ExpectLog("Studio.Modules.Sso.Services.Oidc.StudioOidcHandler", Microsoft.Extensions.Logging.LogLevel.Warning, ".*", required: false);
        // Both tenants trust the same provider and client.
        var (a, client) = await TenantWithProviderAsync();
        var (b, _) = await TenantWithProviderAsync(client: client);
        var person = NewUser();
        using var browser = new Browser(Factory.ClientFor(a.Host), a.Host);
        var callback = await FollowToCallbackAsync(browser, await StartAsync(browser, a), person);

        // A's code and state sent to B's callback are refused (B cannot read A's state, and has no correlation cookie for it).
        using var bClient = Factory.ClientFor(b.Host, handleCookies: false);
        var onB = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{b.Host}{callback.PathAndQuery}"));
        var response = await bClient.SendAsync(onB);
        AssertRefused(response, b);
        Assert.Contains(await AuditAsync(b, OidcEvents.RejectedAction), e => e.Target == Provider);
        Assert.Empty(await AuditAsync(a, OidcEvents.RejectedAction));
        Assert.Null(await Factory.InTenantAsync(b.Name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync(person.Email)));

        // A itself still takes it.
        var onA = await browser.Studio.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, onA.StatusCode);
        Assert.True(HasSession(onA, a));
        // Once: the same response replayed is refused (its correlation cookie is gone).
        AssertRefused(await browser.Studio.GetAsync(callback), a);
    }

    [Fact]
    public async Task On_a_prefix_tenant_the_callback_and_the_landing_stay_under_its_prefix()
    {
        var (tenant, _) = await TenantWithProviderAsync(prefixed: true);
        var prefix = "/p" + tenant.Name;
        var person = NewUser();
        using var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        var (page, login) = await browser.GoAsync(StudioUrl(tenant, $"{prefix}/sso/oidc/{Provider}/login?returnUrl={Uri.EscapeDataString(prefix + "/admin/staff")}"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(Uri.EscapeDataString($"http://{tenant.Host}{prefix}/sso/oidc/{Provider}/callback"), Uri.UnescapeDataString(login.Query));
        var (landed, url) = await browser.LoginAsync(login, person);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal($"{prefix}/admin/staff", url.AbsolutePath);

        // A return URL outside the tenant's prefix (another tenant on the same host) is not followed.
        using var other = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        var (_, start) = await other.GoAsync(StudioUrl(tenant, $"{prefix}/sso/oidc/{Provider}/login?returnUrl=%2Fpother%2Fadmin"));
        var callback = await FollowToCallbackAsync(other, start, person);
        var response = await other.Studio.GetAsync(callback);
        Assert.Equal($"{prefix}/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_refused_and_a_new_one_applies_at_once_and_is_never_logged()
    {
        ExpectLog("Studio.Modules.Sso.Services.Oidc.StudioOidcHandler", Microsoft.Extensions.Logging.LogLevel.Error, ".*", required: false);
        var (tenant, client) = await TenantWithProviderAsync();
        var person = NewUser();
        // The provider rotated the secret; the tenant still has the old one: the code exchange fails.
        var rotated = client with { ClientSecret = "rotated-" + Guid.NewGuid().ToString("N") };
        Idp.Clients[client.ClientId] = rotated;
        using (var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host))
        {
            var callback = await FollowToCallbackAsync(browser, await StartAsync(browser, tenant), person);
            AssertRefused(await browser.Studio.GetAsync(callback), tenant);
        }
        Assert.Contains(await AuditAsync(tenant, OidcEvents.RejectedAction), e => e.Target == Provider);

        // The admin saves the new secret: the next sign-in uses it (the scheme's options are rebuilt).
        await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var store = sp.GetRequiredService<ISsoProviderStore>();
            return await store.SaveAsync((await store.GetAsync(Provider))!, rotated.ClientSecret, AuditActor.System);
        });
        using (var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host))
        {
            var (landed, url) = await browser.LoginAsync(await StartAsync(browser, tenant), person);
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.Equal("/admin/staff", url.AbsolutePath);
        }
        foreach (var secret in new[] { client.ClientSecret, rotated.ClientSecret })
            Assert.DoesNotContain(TestLogs, e => e.ToString().Contains(secret, StringComparison.Ordinal) || e.State.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refusal_from_the_provider_is_audited_and_signs_nobody_in()
    {
        var (tenant, _) = await TenantWithProviderAsync();
        var person = NewUser() with { Denied = true };
        Idp.Users[person.Username] = person;
        using var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        var callback = await FollowToCallbackAsync(browser, await StartAsync(browser, tenant), person);
        Assert.Contains("error=access_denied", callback.Query);
        AssertRefused(await browser.Studio.GetAsync(callback), tenant);
        Assert.Contains(await AuditAsync(tenant, OidcEvents.RejectedAction), e => e.AfterJson!.Contains("access_denied"));
    }

    [Fact]
    public async Task Without_provisioning_a_stranger_gets_the_account_refusal_on_the_failure_page()
    {
        var (tenant, _) = await TenantWithProviderAsync(jit: false);
        var person = NewUser();
        using var browser = new Browser(Factory.ClientFor(tenant.Host), tenant.Host);
        var callback = await FollowToCallbackAsync(browser, await StartAsync(browser, tenant), person);
        AssertRefused(await browser.Studio.GetAsync(callback), tenant);
        var page = await GetStringAsync(browser.Studio, "/sso/error", HttpStatusCode.Forbidden);
        Assert.Contains("There is no account for you here yet", page);
        Assert.Null(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync(person.Email)));
    }

    [Fact]
    public async Task Unknown_or_disabled_providers_have_no_login()
    {
        var (tenant, _) = await TenantWithProviderAsync();
        using var client = Factory.ClientFor(tenant.Host);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sso/oidc/nope/login")).StatusCode);
        await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var store = sp.GetRequiredService<ISsoProviderStore>();
            var provider = (await store.GetAsync(Provider))!;
            return await store.SaveAsync(provider with { Enabled = false }, null, AuditActor.System);
        });
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sso/oidc/{Provider}/login")).StatusCode);
    }

    [Fact]
    public void Claims_map_to_the_external_identity()
    {
        var provider = new SsoProvider
        {
            Id = "p", Label = "P", Protocol = SsoProtocols.Oidc,
            Oidc = new OidcProviderSettings { Preset = "okta", Mapping = new ClaimMapping { Groups = "roles" } },
        };
        ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
            new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

        var full = OidcClaims.ToExternalIdentity(provider, Principal(("sub", "42"), ("email", "a@b.test"), ("name", "Ann"),
            ("roles", "[\"x\",\"y\"]"), ("roles", "z"), ("amr", "pwd"), ("amr", "otp")))!;
        Assert.Equal(("42", "a@b.test", "Ann"), (full.Subject, full.Email, full.DisplayName));
        Assert.Equal(["x", "y", "z"], full.Groups);
        Assert.True(full.MultiFactor);

        var single = OidcClaims.ToExternalIdentity(provider, Principal(("sub", "42"), ("email", "a@b.test"), ("email_verified", "false"), ("amr", "pwd")))!;
        Assert.Null(single.Email); // an unverified address never links an account
        Assert.False(single.MultiFactor);
        Assert.Null(OidcClaims.ToExternalIdentity(provider, Principal(("email", "a@b.test"))));
        foreach (var preset in new[] { "okta", "auth0", "entra", "google" })
            Assert.Contains("openid", OidcPreset.For(preset).Scopes);
    }

    [GeneratedRegex("name=\"returnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlRegex();

    [GeneratedRegex("nonce=[^&]+")]
    private static partial Regex NonceRegex();
}
