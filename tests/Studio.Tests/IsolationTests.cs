using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Hello.Services;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>Tenant A's data and tokens are unreachable from tenant B; each tenant sees its own settings.</summary>
public sealed class IsolationTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Hello = ["Studio.Hello"];

    private static async Task<HttpResponseMessage> PostGreetingAsync(HttpClient client, string token, string author, string message) =>
        await client.PostAsync("hello", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Author"] = author,
            ["Input.Message"] = message,
            ["__RequestVerificationToken"] = token,
        }));

    [Fact]
    public async Task Greetings_of_tenant_A_are_unreachable_from_tenant_B_through_every_route()
    {
        var a = await CreateTenantAsync(Hello);
        var b = await CreateTenantAsync(Hello);
        var formMessage = "form-" + Guid.NewGuid().ToString("N");
        var storeMessage = "store-" + Guid.NewGuid().ToString("N");

        // Through the page's form, with its antiforgery token.
        var token = AntiforgeryToken(await GetStringAsync(a.Client, "hello"));
        using (var posted = await PostGreetingAsync(a.Client, token, "Alice", formMessage))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.EndsWith("/hello", posted.Headers.Location!.OriginalString);
        }
        // Through the module's store, resolved in A's own container.
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[a.Name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<GreetingStore>().AddAsync("Bob", storeMessage, CancellationToken.None);
        }
        finally { shell.Leave(); }

        var pageA = await GetStringAsync(a.Client, "hello");
        Assert.Contains(formMessage, pageA);
        Assert.Contains(storeMessage, pageA);
        var apiA = await GetJsonAsync(a.Client, "hello/api/greetings");
        Assert.Equal(2, apiA.GetArrayLength());

        var pageB = await GetStringAsync(b.Client, "hello");
        Assert.DoesNotContain(formMessage, pageB);
        Assert.DoesNotContain(storeMessage, pageB);
        Assert.Contains("No greetings yet", pageB);
        var apiB = await GetJsonAsync(b.Client, "hello/api/greetings");
        Assert.Equal(JsonValueKind.Array, apiB.ValueKind);
        Assert.Equal(0, apiB.GetArrayLength());
        foreach (var path in new[] { "/", "brand.css", "hello?page=2", "hello/api/greetings?take=1000" })
        {
            using var response = await b.Client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(formMessage, body);
            Assert.DoesNotContain(storeMessage, body);
        }
        // A tenant without the feature has no such routes at all.
        var c = await CreateTenantAsync();
        await GetStringAsync(c.Client, "hello", HttpStatusCode.NotFound);
        await GetStringAsync(c.Client, "hello/api/greetings", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Antiforgery_token_of_tenant_A_is_refused_by_tenant_B()
    {
        var a = await CreateTenantAsync(Hello);
        var b = await CreateTenantAsync(Hello);
        var raw = Factory.ClientFor(a.Host, handleCookies: false);
        using var page = await raw.GetAsync("hello");
        var token = AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var cookies = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));

        HttpRequestMessage Post(string host) => new(HttpMethod.Post, $"http://{host}/hello")
        {
            Headers = { { "Cookie", string.Join("; ", cookies) } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Author"] = "Mallory",
                ["Input.Message"] = "cross-tenant",
                ["__RequestVerificationToken"] = token,
            }),
        };

        using (var onB = await Factory.ClientFor(b.Host, handleCookies: false).SendAsync(Post(b.Host)))
            Assert.Equal(HttpStatusCode.BadRequest, onB.StatusCode);
        Assert.Equal(0, (await GetJsonAsync(b.Client, "hello/api/greetings")).GetArrayLength());

        // The same token and cookie are good on A: the refusal on B is about the tenant, not the token.
        using (var onA = await raw.SendAsync(Post(a.Host)))
            Assert.Equal(HttpStatusCode.Redirect, onA.StatusCode);
        Assert.Equal(1, (await GetJsonAsync(a.Client, "hello/api/greetings")).GetArrayLength());
    }

    [Fact]
    public async Task Two_tenants_with_different_Hello_settings_each_see_their_own()
    {
        var a = await CreateTenantAsync(Hello);
        var b = await CreateTenantAsync(Hello);
        var tenants = Factory.Get<Studio.Host.Tenancy.TenantService>();
        await tenants.UpdateAsync(a.Name, null, t => t with { SettingsJson = """{"Hello":{"Headline":"Signed by the A-Team","PageSize":1}}""" });
        await tenants.UpdateAsync(b.Name, null, t => t with { SettingsJson = """{"Hello":{"Headline":"Bravo guest book"}}""" });

        var pageA = await GetStringAsync(a.Client, "hello");
        var pageB = await GetStringAsync(b.Client, "hello");
        Assert.Contains("<h1>Signed by the A-Team</h1>", pageA);
        Assert.DoesNotContain("Bravo guest book", pageA);
        Assert.Contains("<h1>Bravo guest book</h1>", pageB);
        Assert.DoesNotContain("A-Team", pageB);

        // PageSize is per tenant too: A shows one greeting of two.
        for (var i = 0; i < 2; i++)
        {
            var token = AntiforgeryToken(await GetStringAsync(a.Client, "hello"));
            using var posted = await PostGreetingAsync(a.Client, token, "Ann", $"note {i}");
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        var page = await GetStringAsync(a.Client, "hello");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "<strong>Ann</strong>"));
    }
}
