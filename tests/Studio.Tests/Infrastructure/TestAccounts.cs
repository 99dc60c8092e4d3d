using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Identity;

namespace Studio.Tests.Infrastructure;

/// <summary>
/// Accounts for tests: create a user with roles in a tenant (straight through its UserManager, so no audit entry
/// or e-mail is made), and get an HttpClient signed in as that user — either with a session cookie issued by the
/// tenant's own cookie scheme (<see cref="ClientAsAsync"/>: no request, no audit entry, no rate-limit budget), or
/// through the real sign-in page (<see cref="SignInThroughPageAsync"/>).
/// </summary>
public static partial class TestAccounts
{
    /// <summary>The password test users get unless told otherwise.</summary>
    public const string Password = "correct-horse-battery";

    /// <summary>Runs <paramref name="work"/> in a scope of the tenant's own container.</summary>
    public static async Task<T> InTenantAsync<T>(this StudioFactory factory, string tenant, Func<IServiceProvider, Task<T>> work)
    {
        var shell = await factory.Shells.AcquireAsync(factory.Shells.Table.ByName[tenant], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }
        finally { shell.Leave(); }
    }

    /// <summary>Creates a confirmed user with <paramref name="roles"/> and a password in a tenant.</summary>
    public static Task<StudioUser> CreateUserAsync(this StudioFactory factory, string tenant, string[] roles, string? email = null,
        string password = Password, string? displayName = null) =>
        factory.InTenantAsync(tenant, async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StudioUser>>();
            email ??= $"{roles.FirstOrDefault() ?? "user"}-{Guid.NewGuid():N}@example.test";
            var user = new StudioUser
            {
                UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true,
                DisplayName = displayName ?? email.Split('@')[0], CreatedUtc = DateTime.UtcNow,
            };
            var created = await users.CreateAsync(user, password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            foreach (var role in roles)
                Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            return user;
        });

    /// <summary>A session cookie (<c>name=value</c>) for a user, issued by the tenant's own cookie scheme.</summary>
    public static Task<string> SessionCookieAsync(this StudioFactory factory, string tenant, StudioUser user) =>
        factory.InTenantAsync(tenant, async sp =>
        {
            var signIn = sp.GetRequiredService<SignInManager<StudioUser>>();
            var fresh = await sp.GetRequiredService<UserManager<StudioUser>>().FindByIdAsync(user.Id) ?? user;
            var principal = await signIn.CreateUserPrincipalAsync(fresh);
            var options = sp.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
            var now = DateTimeOffset.UtcNow;
            var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) }, IdentityConstants.ApplicationScheme);
            return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
        });

    /// <summary>
    /// A client for <paramref name="host"/> whose cookie jar starts with <paramref name="cookie"/> (<c>name=value</c>,
    /// path /) and then behaves like a browser's (antiforgery cookies, renewed sessions).
    /// </summary>
    public static HttpClient ClientWithCookie(this StudioFactory factory, string host, string cookie)
    {
        var container = new CookieContainer();
        var (name, value) = (cookie.Split('=', 2)[0], cookie.Split('=', 2)[1]);
        container.Add(new Uri($"http://{host}/"), new Cookie(name, value, "/"));
        var client = factory.CreateDefaultClient(new Uri($"http://{host}/"), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(container));
        return client;
    }

    /// <summary>Creates a user with <paramref name="roles"/> in the tenant and returns a client signed in as them.</summary>
    public static async Task<HttpClient> ClientAsAsync(this StudioFactory factory, TestTenant tenant, params string[] roles)
    {
        var user = await factory.CreateUserAsync(tenant.Name, roles.Length == 0 ? [StudioRoles.Owner] : roles);
        return factory.ClientWithCookie(tenant.Host, await factory.SessionCookieAsync(tenant.Name, user));
    }

    /// <summary>The same tenant with its client replaced by one signed in as a new user with <paramref name="roles"/> (owner by default).</summary>
    public static async Task<TestTenant> AsAsync(this StudioFactory factory, TestTenant tenant, params string[] roles) =>
        tenant with { Client = await factory.ClientAsAsync(tenant, roles) };

    /// <summary>
    /// Signs in through the real sign-in page (<paramref name="basePath"/>: the tenant's prefix with a trailing
    /// slash, or empty); returns the response of the POST and the client, which keeps the cookie.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, HttpClient Client)> SignInThroughPageAsync(this StudioFactory factory, string host, string email,
        string password = Password, string basePath = "", HttpClient? client = null)
    {
        client ??= factory.ClientFor(host);
        using var page = await client.GetAsync(basePath + "account/sign-in");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"sign-in page: {(int)page.StatusCode} {html}");
        var response = await client.PostAsync(basePath + "account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["__RequestVerificationToken"] = Antiforgery(html),
        }));
        return (response, client);
    }

    /// <summary>The antiforgery token of the first form in a page.</summary>
    public static string Antiforgery(string html)
    {
        var match = AntiforgeryRegex().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The value of a Set-Cookie header for <paramref name="name"/> with its attributes, or null.</summary>
    public static string? SetCookie(HttpResponseMessage response, string namePrefix) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.FirstOrDefault(v => v.StartsWith(namePrefix, StringComparison.Ordinal)) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryRegex();
}
