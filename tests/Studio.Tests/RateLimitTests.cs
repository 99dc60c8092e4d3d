using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Studio.Security;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>
/// A host whose SignIn policy allows <see cref="Permits"/> requests an hour — a window no test outlives, so
/// nothing depends on timing — and whose test server takes the client address from a test header (TestServer
/// has no real connection).
/// </summary>
public sealed class RateLimitStudioFactory : StudioFactory
{
    public const int Permits = 3;
    public const string AddressHeader = "X-Test-Remote-Address";

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings[$"Studio:RateLimits:{RateLimitPolicies.SignIn}:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Studio:RateLimits:{RateLimitPolicies.SignIn}:Window"] = "01:00:00";
        return settings;
    }

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

/// <summary>
/// The named rate-limit policies count per tenant and client address: after the budget, 429 with Retry-After
/// for that pair only — another tenant, or another address on the same tenant, is untouched.
/// </summary>
public sealed class RateLimitTests(RateLimitStudioFactory factory) : StudioTest<RateLimitStudioFactory>(factory)
{
    private static async Task<HttpResponseMessage> PostAsync(TestTenant tenant, string address, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "probe/limited");
        request.Headers.Add(RateLimitStudioFactory.AddressHeader, address);
        request.Headers.Add("Accept", accept);
        return await tenant.Client.SendAsync(request);
    }

    private static async Task UseBudgetAsync(TestTenant tenant, string address)
    {
        for (var i = 0; i < RateLimitStudioFactory.Permits; i++)
        {
            using var allowed = await PostAsync(tenant, address);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
    }

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var seconds = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 3600);
    }

    [Fact]
    public async Task After_the_budget_the_same_tenant_and_address_get_429_with_retry_after_and_problem_details()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        await UseBudgetAsync(tenant, "203.0.113.10");

        using var refused = await PostAsync(tenant, "203.0.113.10");
        AssertRetryAfter(refused);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_browser_gets_the_tenants_themed_page_for_429()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe], r => r with { Theme = "Midnight" });
        await UseBudgetAsync(tenant, "203.0.113.11");

        using var refused = await PostAsync(tenant, "203.0.113.11", "text/html");
        AssertRetryAfter(refused);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-theme=\"Midnight\"", body);
        Assert.Contains("<h1>Too many requests</h1>", body);
    }

    [Fact]
    public async Task Another_tenant_from_the_same_address_keeps_its_own_budget()
    {
        var busy = await CreateTenantAsync([ProbeFeatures.Probe]);
        var quiet = await CreateTenantAsync([ProbeFeatures.Probe]);
        await UseBudgetAsync(busy, "203.0.113.12");
        using (var refused = await PostAsync(busy, "203.0.113.12"))
            AssertRetryAfter(refused);

        await UseBudgetAsync(quiet, "203.0.113.12");
    }

    [Fact]
    public async Task Another_address_on_the_same_tenant_keeps_its_own_budget()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe]);
        await UseBudgetAsync(tenant, "203.0.113.13");
        using (var refused = await PostAsync(tenant, "203.0.113.13"))
            AssertRetryAfter(refused);

        await UseBudgetAsync(tenant, "2001:db8::13");
    }

    [Fact]
    public void An_unknown_policy_name_is_refused_when_the_endpoint_is_mapped()
    {
        var builder = WebApplication.CreateSlimBuilder();
        using var app = builder.Build();
        var error = Assert.Throws<ArgumentException>(() => app.MapGet("/x", () => "x").RequireStudioRateLimit("SignInn"));
        Assert.Contains("SignInn", error.Message);
    }
}
