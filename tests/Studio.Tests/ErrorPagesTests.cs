using System.Net;
using Microsoft.Extensions.Logging;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>
/// Every failure inside a tenant answers with that tenant's own themed page — never a blank body, never a stack
/// trace — and a database that cannot answer right now is a 503 the client may retry, not a 500.
/// </summary>
public sealed class ErrorPagesTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string ExceptionHandler = "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware";

    private async Task<TestTenant> ThemedTenantAsync(params string[] features) =>
        await CreateTenantAsync(features, r => r with { Theme = "Midnight" });

    private static void AssertThemedPage(string body, string title)
    {
        Assert.Contains("data-theme=\"Midnight\"", body);
        Assert.Contains($"<h1>{title}</h1>", body);
        Assert.DoesNotContain(ProbeStartup.SecretDetail, body);
        Assert.DoesNotContain("   at ", body); // no stack frame
    }

    [Fact]
    public async Task Unknown_path_of_a_running_tenant_gets_its_themed_not_found_page()
    {
        var tenant = await ThemedTenantAsync();
        AssertThemedPage(await GetStringAsync(tenant.Client, "no/such/page", HttpStatusCode.NotFound), "Page not found");
    }

    [Fact]
    public async Task Page_of_a_disabled_feature_gets_the_themed_not_found_page()
    {
        var tenant = await ThemedTenantAsync();
        AssertThemedPage(await GetStringAsync(tenant.Client, "hello", HttpStatusCode.NotFound), "Page not found");
    }

    [Fact]
    public async Task Error_page_asked_for_directly_does_not_exist()
    {
        var tenant = await ThemedTenantAsync();
        AssertThemedPage(await GetStringAsync(tenant.Client, "Error", HttpStatusCode.NotFound), "Page not found");
    }

    [Fact]
    public async Task Stale_or_forged_form_gets_a_page_that_says_what_to_do()
    {
        var tenant = await ThemedTenantAsync("Studio.Hello");
        using var response = await tenant.Client.PostAsync("hello", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Author"] = "Mallory",
            ["Input.Message"] = "no token",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        AssertThemedPage(body, "This request could not be handled");
        Assert.Contains("reload the page", body);
    }

    [Fact]
    public async Task Empty_400_from_an_endpoint_gets_a_page()
    {
        var tenant = await ThemedTenantAsync(ProbeFeatures.Probe);
        AssertThemedPage(await GetStringAsync(tenant.Client, "probe/empty-400", HttpStatusCode.BadRequest), "This request could not be handled");
    }

    [Fact]
    public async Task Exception_in_an_endpoint_gets_the_themed_error_page_without_details()
    {
        ExpectLog(ExceptionHandler, LogLevel.Error, "unhandled exception");
        var tenant = await ThemedTenantAsync(ProbeFeatures.Probe);
        AssertThemedPage(await GetStringAsync(tenant.Client, "probe/throw", HttpStatusCode.InternalServerError), "Something went wrong");
    }

    [Fact]
    public async Task Exception_in_a_features_own_middleware_gets_the_themed_error_page()
    {
        ExpectLog(ExceptionHandler, LogLevel.Error, "unhandled exception");
        var tenant = await ThemedTenantAsync(ProbeFeatures.Probe);
        AssertThemedPage(await GetStringAsync(tenant.Client, "probe/middleware-throws", HttpStatusCode.InternalServerError), "Something went wrong");
    }

    [Fact]
    public async Task Busy_database_is_a_503_with_retry_after()
    {
        ExpectLog(ExceptionHandler, LogLevel.Error, "unhandled exception");
        var tenant = await ThemedTenantAsync(ProbeFeatures.Probe);
        using var response = await tenant.Client.GetAsync("probe/db-busy");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        AssertThemedPage(await response.Content.ReadAsStringAsync(), "Temporarily unavailable");
    }

    [Fact]
    public async Task Prefix_tenant_errors_keep_the_prefix_in_their_links()
    {
        var name = NewName();
        var tenant = await CreateTenantAsync([], r => r with { Hosts = [], Prefix = name, Theme = "Midnight" }, name);
        var client = Factory.ClientFor("localhost");
        var body = await GetStringAsync(client, $"{name}/no/such/page", HttpStatusCode.NotFound);
        AssertThemedPage(body, "Page not found");
        Assert.Contains($"href=\"/{name}/\"", body);
    }
}
