using System.Net;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Data;
using Studio.Identity;
using Studio.Modules.Identity.Services;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>Accounts per tenant: sign-in, sessions bound to their tenant, the admin area, lockout, the store.</summary>
public sealed class IdentityTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string SessionPrefix = Studio.Modules.Identity.Startup.CookiePrefix;

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_user_signs_in_on_their_tenant_and_not_on_another()
    {
        var a = await CreateTenantAsync();
        var b = await CreateTenantAsync();
        var user = await Factory.CreateUserAsync(a.Name, [StudioRoles.Owner]);

        var (onB, _) = await Factory.SignInThroughPageAsync(b.Host, user.Email!);
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode); // the form again, with the error
        Assert.Contains("The e-mail address or the password is not right", await onB.Content.ReadAsStringAsync());
        Assert.Null(TestAccounts.SetCookie(onB, SessionPrefix));

        var (onA, client) = await Factory.SignInThroughPageAsync(a.Host, user.Email!);
        Assert.Equal(HttpStatusCode.Redirect, onA.StatusCode);
        var cookie = TestAccounts.SetCookie(onA, SessionPrefix + a.Name + "=");
        Assert.NotNull(cookie);
        Assert.Contains("path=/;", cookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "admin/staff"));
    }

    [Fact]
    public async Task The_admin_area_needs_an_owner_or_admin_pages_redirect_and_apis_answer_401_or_403()
    {
        var t = await CreateTenantAsync(["Studio.Audit"]);
        using (var anonymous = await t.Client.GetAsync("admin/audit?p=2"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Equal("/account/sign-in?ReturnUrl=%2Fadmin%2Faudit%3Fp%3D2", anonymous.Headers.Location!.PathAndQuery);
        }
        foreach (var api in new[] { "admin/audit/api/verify", "admin/audit/export.csv", "admin/audit/api/entries" })
            Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(t.Client, api));
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(t.Client, "admin/staff"));

        var engineer = await Factory.ClientAsAsync(t, StudioRoles.Engineer);
        using (var denied = await engineer.GetAsync("admin/audit"))
        {
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/account/access-denied", denied.Headers.Location!.PathAndQuery);
        }
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(engineer, "admin/audit/api/verify"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(engineer, "admin/audit/export.csv"));

        using (var page = await engineer.GetAsync("account/access-denied"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
            Assert.Contains("Your account does not give access to this page.", await page.Content.ReadAsStringAsync());
        }

        foreach (var role in new[] { StudioRoles.Owner, StudioRoles.Admin })
        {
            var admin = await Factory.ClientAsAsync(t, role);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "admin/audit"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "admin/audit/api/verify"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "admin/audit/export.csv"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "admin/staff"));
        }
    }

    [Fact]
    public async Task A_session_cookie_of_tenant_A_is_refused_by_tenant_B_under_the_same_parent_domain()
    {
        var a = await CreateTenantAsync(configure: r => r with { Hosts = [$"{r.Name}.studio.test"] });
        var b = await CreateTenantAsync(configure: r => r with { Hosts = [$"{r.Name}.studio.test"] });
        var owner = await Factory.CreateUserAsync(a.Name, [StudioRoles.Owner]);
        var (signedIn, clientA) = await Factory.SignInThroughPageAsync(a.Host, owner.Email!);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var value = TestAccounts.SetCookie(signedIn, SessionPrefix + a.Name + "=")!.Split(';')[0].Split('=', 2)[1];
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(clientA, "admin/staff"));

        // The same value under A's name and under B's name, sent to B: neither opens B's admin area.
        foreach (var name in new[] { SessionPrefix + a.Name, SessionPrefix + b.Name })
        {
            var replay = Factory.ClientWithCookie(b.Host, $"{name}={value}");
            using var response = await replay.GetAsync("admin/staff");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task Prefix_tenants_on_one_host_keep_their_cookies_apart()
    {
        var alpha = await CreateTenantAsync(configure: r => r with { Hosts = [], Prefix = "a" + r.Name });
        var beta = await CreateTenantAsync(configure: r => r with { Hosts = [], Prefix = "b" + r.Name });
        var alphaPrefix = "a" + alpha.Name;
        var betaPrefix = "b" + beta.Name;
        var owner = await Factory.CreateUserAsync(alpha.Name, [StudioRoles.Owner]);
        await Factory.CreateUserAsync(beta.Name, [StudioRoles.Owner], email: owner.Email); // same address, another account

        var (signedIn, client) = await Factory.SignInThroughPageAsync("localhost", owner.Email!, basePath: alphaPrefix + "/");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal($"/{alphaPrefix}/", signedIn.Headers.Location!.OriginalString);
        var cookie = TestAccounts.SetCookie(signedIn, SessionPrefix + alpha.Name + "=")!;
        Assert.Contains($"path=/{alphaPrefix}", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, alphaPrefix + "/admin/staff"));
        // The browser would not send it to /beta; a client that does, under either name, is refused.
        var value = cookie.Split(';')[0].Split('=', 2)[1];
        foreach (var name in new[] { SessionPrefix + alpha.Name, SessionPrefix + beta.Name })
        {
            var replay = Factory.ClientWithCookie("localhost", $"{name}={value}");
            using var response = await replay.GetAsync(betaPrefix + "/admin/staff");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal($"/{betaPrefix}/account/sign-in", response.Headers.Location!.AbsolutePath);
        }
    }

    [Fact]
    public async Task A_session_whose_tenant_claim_names_another_tenant_is_refused_even_with_valid_protection()
    {
        var t = await CreateTenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        // Protected with this tenant's own keys and naming a real user with a current stamp: only the claim is wrong.
        var forged = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var principal = await sp.GetRequiredService<SignInManager<StudioUser>>().CreateUserPrincipalAsync(user);
            var identity = (System.Security.Claims.ClaimsIdentity)principal.Identity!;
            identity.RemoveClaim(identity.FindFirst(StudioClaims.Tenant));
            identity.AddClaim(new System.Security.Claims.Claim(StudioClaims.Tenant, "someone-else"));
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
                .Get(IdentityConstants.ApplicationScheme);
            return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(new Microsoft.AspNetCore.Authentication.AuthenticationTicket(principal, IdentityConstants.ApplicationScheme))}";
        });
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(Factory.ClientWithCookie(t.Host, forged), "admin/staff"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Factory.ClientWithCookie(t.Host, await Factory.SessionCookieAsync(t.Name, user)), "admin/staff"));
    }

    [Fact]
    public void Sign_in_magic_link_and_recovery_posts_carry_their_rate_limit_policies()
    {
        var endpoints = Factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().ToList();
        string? PolicyOf(string route) => endpoints.Single(e => e.RoutePattern.RawText == route)
            .Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName;
        Assert.Equal(Studio.Security.RateLimitPolicies.SignIn, PolicyOf("account/sign-in"));
        Assert.Equal(Studio.Security.RateLimitPolicies.MagicLink, PolicyOf("account/magic-link"));
        Assert.Equal(Studio.Security.RateLimitPolicies.Recovery, PolicyOf("account/forgot-password"));
        Assert.Equal(Studio.Security.RateLimitPolicies.Recovery, PolicyOf("account/reset-password"));
    }

    [Fact]
    public async Task A_valid_session_is_checked_on_every_request_without_a_new_cookie_on_every_response()
    {
        var t = await CreateTenantAsync();
        var user = await Factory.CreateUserAsync(t.Name, [StudioRoles.Owner]);
        var client = Factory.ClientWithCookie(t.Host, await Factory.SessionCookieAsync(t.Name, user));
        using var response = await client.GetAsync("admin/staff");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(TestAccounts.SetCookie(response, SessionPrefix));
        // Roles come from the store on each request: taking the admin role away closes the admin area at once.
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            var u = (await users.FindByIdAsync(user.Id))!;
            await users.AddToRoleAsync(u, StudioRoles.Engineer);
            return await users.RemoveFromRoleAsync(u, StudioRoles.Owner);
        });
        Assert.NotEqual(HttpStatusCode.OK, await StatusAsync(client, "admin/staff"));
    }

    [Fact]
    public async Task An_operator_session_is_not_valid_on_a_studio_tenant()
    {
        var studio = await CreateTenantAsync();
        var op = await Factory.CreateUserAsync("Default", [StudioRoles.Operator]);
        var cookie = await Factory.SessionCookieAsync("Default", op);
        var value = cookie.Split('=', 2)[1];
        foreach (var name in new[] { SessionPrefix + "Default", SessionPrefix + studio.Name })
        {
            var replay = Factory.ClientWithCookie(studio.Host, $"{name}={value}");
            Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(replay, "admin/staff"));
        }
        // On the Default tenant the operator administers the platform's own accounts.
        var onDefault = Factory.ClientWithCookie("localhost", cookie);
        var staff = await GetStringAsync(onDefault, "admin/staff");
        Assert.Contains(op.Email!, staff);
        Assert.Contains("value=\"reseller\"", staff);
        Assert.DoesNotContain("value=\"owner\"", staff);
        // Operator is not a role a studio can give.
        await Assert.ThrowsAnyAsync<Exception>(() => Factory.CreateUserAsync(studio.Name, [StudioRoles.Operator]));
    }
}
