using System.Net;
using Studio.Host.Security;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// Every response of the host — a tenant's page, a status page, a static file, health — carries the security
/// headers, with a script policy that allows no inline code and no HSTS over plain HTTP.
/// </summary>
public sealed class SecurityHeadersTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static void AssertHeaders(HttpResponseMessage response)
    {
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("default-src 'self'", directives);
        Assert.Contains("script-src 'self'", directives);
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
    }

    [Fact]
    public async Task Tenant_page_carries_the_headers()
    {
        var tenant = await CreateTenantAsync();
        using var response = await tenant.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertHeaders(response);
    }

    [Fact]
    public async Task Themed_error_page_carries_the_headers()
    {
        var tenant = await CreateTenantAsync();
        using var response = await tenant.Client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertHeaders(response);
    }

    [Fact]
    public async Task Status_page_of_an_unknown_host_carries_the_headers_and_its_style_is_allowed_by_hash()
    {
        using var response = await Factory.ClientFor("nobody-here.test").GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertHeaders(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("style=\"", body); // a style attribute would need 'unsafe-inline'
        Assert.Contains($"<style>{StatusPageStyle.Css}</style>", body);
        Assert.Contains($"'{StatusPageStyle.Hash}'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Static_file_carries_the_headers()
    {
        var tenant = await CreateTenantAsync();
        using var response = await tenant.Client.GetAsync("/_content/Studio.Themes.Aurora/theme.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        AssertHeaders(response);
    }

    [Fact]
    public async Task Health_carries_the_headers()
    {
        foreach (var path in new[] { "/health", "/health/ready" })
        {
            using var response = await Factory.ClientFor("localhost").GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertHeaders(response);
        }
    }

    [Fact]
    public async Task Hsts_is_sent_only_over_https()
    {
        using var client = Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost/"),
            AllowAutoRedirect = false,
        });
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }
}
