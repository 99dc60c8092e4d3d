using System.Net;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Security;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>A host whose test server takes the client address from a header (TestServer has no connection).</summary>
public class AddressStudioFactory : StudioFactory
{
    public const string AddressHeader = "X-Test-Remote-Address";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>());
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(AddressHeader, out var address))
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>The sign-in rate limit is low (3 an hour) to be reached in a test.</summary>
public sealed class SignInLimitStudioFactory : AddressStudioFactory
{
    public const int Permits = 3;

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings[$"Studio:RateLimits:{RateLimitPolicies.SignIn}:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Studio:RateLimits:{RateLimitPolicies.SignIn}:Window"] = "01:00:00";
        return settings;
    }
}

/// <summary>The sign-in page's POST is rate limited per tenant and address; the page itself and other tenants are not.</summary>
public sealed class SignInRateLimitTests(SignInLimitStudioFactory factory) : StudioTest<SignInLimitStudioFactory>(factory)
{
    private static async Task<HttpResponseMessage> PostAsync(TestTenant t, string token, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "x@example.test", ["Password"] = "wrong-password", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add(AddressStudioFactory.AddressHeader, address);
        return await t.Client.SendAsync(request);
    }

    [Fact]
    public async Task After_the_limit_sign_in_posts_get_429_with_Retry_After_and_another_tenant_is_unaffected()
    {
        var a = await CreateTenantAsync();
        var b = await CreateTenantAsync();
        const string address = "203.0.113.9";
        var tokenA = TestAccounts.Antiforgery(await GetStringAsync(a.Client, "account/sign-in"));
        for (var i = 0; i < SignInLimitStudioFactory.Permits; i++)
        {
            using var allowed = await PostAsync(a, tokenA, address);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var refused = await PostAsync(a, tokenA, address);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 3600);
        // Showing the form is not an attempt.
        for (var i = 0; i < SignInLimitStudioFactory.Permits + 1; i++)
            await GetStringAsync(a.Client, "account/sign-in");

        var tokenB = TestAccounts.Antiforgery(await GetStringAsync(b.Client, "account/sign-in"));
        using var otherTenant = await PostAsync(b, tokenB, address);
        Assert.Equal(HttpStatusCode.OK, otherTenant.StatusCode);
    }

    [Fact]
    public async Task The_setup_page_exists_only_for_loopback_on_the_default_tenant_until_an_operator_exists()
    {
        var localhost = Factory.ClientFor("localhost");
        Assert.Equal(HttpStatusCode.NotFound, (await localhost.GetAsync("setup")).StatusCode); // no address: not loopback
        using var remote = new HttpRequestMessage(HttpMethod.Get, "setup");
        remote.Headers.Add(AddressStudioFactory.AddressHeader, "198.51.100.7");
        Assert.Equal(HttpStatusCode.NotFound, (await localhost.SendAsync(remote)).StatusCode);
        var studio = await CreateTenantAsync();
        using var onStudio = new HttpRequestMessage(HttpMethod.Get, "setup");
        onStudio.Headers.Add(AddressStudioFactory.AddressHeader, "127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, (await studio.Client.SendAsync(onStudio)).StatusCode);

        using var page = new HttpRequestMessage(HttpMethod.Get, "setup");
        page.Headers.Add(AddressStudioFactory.AddressHeader, "127.0.0.1");
        using var shown = await localhost.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        using var create = new HttpRequestMessage(HttpMethod.Post, "setup")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "ops@example.test", ["Password"] = "operator-passphrase",
                ["__RequestVerificationToken"] = TestAccounts.Antiforgery(await shown.Content.ReadAsStringAsync()),
            }),
        };
        create.Headers.Add(AddressStudioFactory.AddressHeader, "127.0.0.1");
        using var created = await localhost.SendAsync(create);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        using var again = new HttpRequestMessage(HttpMethod.Get, "setup");
        again.Headers.Add(AddressStudioFactory.AddressHeader, "127.0.0.1");
        Assert.Equal(HttpStatusCode.NotFound, (await localhost.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Factory.SignInThroughPageAsync("localhost", "ops@example.test", "operator-passphrase")).Response.StatusCode);
    }
}

/// <summary>A host configured with a first operator.</summary>
public sealed class OperatorStudioFactory : StudioFactory
{
    public const string Email = "first-operator@example.test";
    public const string Password = "first-operator-passphrase";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:Operator:Email"] = Email;
        settings["Studio:Operator:Password"] = Password;
        return settings;
    }
}

/// <summary>The first operator from configuration: created once, signs in on the Default tenant only.</summary>
public sealed class OperatorSeedTests(OperatorStudioFactory factory) : StudioTest<OperatorStudioFactory>(factory)
{
    [Fact]
    public async Task The_configured_operator_signs_in_on_the_default_tenant_and_nowhere_else()
    {
        var studio = await CreateTenantAsync();
        var (response, _) = await Factory.SignInThroughPageAsync("localhost", OperatorStudioFactory.Email, OperatorStudioFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = TestAccounts.SetCookie(response, Studio.Modules.Identity.Startup.CookiePrefix + TenantContextName + "=")!;
        Assert.Equal(HttpStatusCode.OK, (await Factory.SignInThroughPageAsync(studio.Host, OperatorStudioFactory.Email, OperatorStudioFactory.Password)).Response.StatusCode);
        var value = cookie.Split(';')[0].Split('=', 2)[1];
        var replay = Factory.ClientWithCookie(studio.Host, $"{Studio.Modules.Identity.Startup.CookiePrefix}{studio.Name}={value}");
        Assert.Equal(HttpStatusCode.Redirect, (await replay.GetAsync("admin/staff")).StatusCode);
        var operators = await Factory.InTenantAsync(TenantContextName, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM identity_user_roles WHERE role = 'operator'");
        });
        Assert.Equal(1, operators);
        Assert.DoesNotContain(TestLogs, e => e.Message.Contains(OperatorStudioFactory.Password, StringComparison.Ordinal));
    }

    private const string TenantContextName = Studio.Tenancy.TenantContext.DefaultName;
}

/// <summary>Recipes create accounts; the demo studio has an owner who can sign in at once.</summary>
public sealed class UsersRecipeTests(RecipeStudioFactory factory) : StudioTest<RecipeStudioFactory>(factory)
{
    [Fact]
    public async Task The_demo_recipe_owner_signs_in_at_once()
    {
        var tenant = await CreateTenantAsync(configure: r => r with { Recipe = "demo-studio" });
        var (response, client) = await Factory.SignInThroughPageAsync(tenant.Host, "owner@demo.localhost", "demo-owner-password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin/staff")).StatusCode);
    }

    [Fact]
    public async Task The_users_step_creates_accounts_with_roles_and_invites_those_without_a_password()
    {
        // This host's e-mail pump is off (RecipeStudioFactory): the invitation waits in the outbox.
        var tenant = await CreateTenantAsync(configure: r => r with { Recipe = "staff-users" });
        var (response, client) = await Factory.SignInThroughPageAsync(tenant.Host, "owner@studio.example", "recipe-owner-password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var staff = await GetStringAsync(client, "admin/staff");
        Assert.Contains("eng@studio.example", staff);
        var mail = await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.QuerySingleAsync<(string To, string Text)>("SELECT to_address, text_body FROM email_outbox");
        });
        Assert.Equal("eng@studio.example", mail.To);
        Assert.Contains("https://studio.example/account/invitation?token=", mail.Text);
    }

    [Fact]
    public async Task A_platform_role_in_a_studio_recipe_is_refused_and_leaves_nothing_behind()
    {
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = "bad-users" }, name: name));
        Assert.Contains("operator", e.Message);
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
    }
}
