using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Host.Data;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>A tenant reached by URL prefix on the platform's host name renders themed, all its URLs under the prefix.</summary>
public sealed class PrefixTenantTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    [SkippableFact]
    public async Task A_prefix_tenant_renders_its_theme_with_assets_under_its_prefix()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"delta-{id}",
            Prefix = $"delta-{id}",
            Theme = "Midnight",
            Features = ["Studio.Hello"],
            Brand = new BrandSettings { DisplayName = $"Delta Rooms {id}", PrimaryColor = "#1e8449" },
        });
        var prefix = "/" + tenant.Prefix;

        var page = browser.Page;
        var home = fixture.Server.UrlFor("localhost", prefix + "/");
        Assert.Equal(200, (await browser.GotoAsync(home)).Status);

        Assert.Equal("Midnight", await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal($"Delta Rooms {id}", (await page.Locator(".brand-name").InnerTextAsync()).Trim());
        Assert.Equal("rgb(30, 132, 73)", await page.Locator(".sidebar").EvaluateAsync<string>("e => getComputedStyle(e).borderRightColor"));

        // Every stylesheet and link is under the prefix, and the stylesheets load from there.
        var stylesheets = await page.Locator("link[rel=stylesheet]").EvaluateAllAsync<string[]>("ls => ls.map(l => l.getAttribute('href'))");
        Assert.Equal(2, stylesheets.Length);
        Assert.All(stylesheets, href => Assert.StartsWith(prefix + "/", href));
        foreach (var path in new[] { prefix + "/_content/Studio.Themes.Midnight/theme.css", prefix + "/brand.css" })
        {
            var response = browser.FindResponse(u => u.AbsolutePath == path);
            Assert.True(response is not null, $"The page did not load {path}.");
            Assert.Equal(200, response.Status);
        }
        var links = await page.Locator("nav a").EvaluateAllAsync<string[]>("ls => ls.map(l => l.getAttribute('href'))");
        Assert.Equal([prefix + "/", prefix + "/hello", prefix + "/account/sign-in"], links);
        await browser.ScreenshotAsync($"{fixture.Engine}-delta-prefix");

        // A form under the prefix round-trips (its antiforgery cookie and action are under the prefix too).
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Guest book" }).ClickAsync();
        var hello = fixture.Server.UrlFor("localhost", prefix + "/hello");
        await page.WaitForPageAsync(hello.AbsoluteUri);
        await page.GetByLabel("Your name").FillAsync("Grace");
        await page.GetByLabel("Message").FillAsync($"Prefixed hello {id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the guest book" }).ClickAsync();
        await Assertions.Expect(page.Locator(".greetings li")).ToHaveTextAsync([$"Grace: Prefixed hello {id}"]);
        Assert.Equal(hello.AbsoluteUri, page.Url);

        // The prefix alone, without the trailing slash, is the tenant's home page too.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost", prefix))).Status);
        Assert.Equal($"Delta Rooms {id}", (await page.Locator(".brand-name").InnerTextAsync()).Trim());

        // The platform's own site on the same host name is untouched by the tenant.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost"))).Status);
        Assert.Equal("Aurora", await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.DoesNotContain("Delta Rooms", await page.ContentAsync());

        browser.AssertClean();
    }

    [SkippableFact]
    public async Task A_failing_page_of_a_prefix_tenant_shows_the_error_page_of_that_tenant()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"lambda-{id}",
            Prefix = $"lambda-{id}",
            Theme = "Midnight",
            Features = ["Studio.Hello"],
            Brand = new BrandSettings { DisplayName = $"Lambda {id}" },
        });
        var prefix = "/" + tenant.Prefix;
        var hello = fixture.Server.UrlFor("localhost", prefix + "/hello");
        Assert.Equal(200, (await browser.GotoAsync(hello)).Status);

        // Break the page for real: its table disappears under it (any engine: the tenant's own database).
        var database = fixture.Server.Services.GetRequiredService<StudioDatabase>().ForTenant(tenant);
        await using (var connection = await database.OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "DROP TABLE hello_greetings";
            await command.ExecuteNonQueryAsync();
        }

        using var failure = fixture.Server.Log.Expect("Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", e => e is DbException);
        browser.Expect(hello, 500);
        Assert.Equal(500, (await browser.ReloadAsync()).Status);
        Assert.Equal(1, failure.Count);
        var page = browser.Page;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" })).ToBeVisibleAsync();
        // The tenant's own look and links, not the platform's (whose site answers on the same host name).
        Assert.Equal("Midnight", await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal($"Lambda {id}", (await page.Locator(".brand-name").InnerTextAsync()).Trim());
        var links = await page.Locator("nav a").EvaluateAllAsync<string[]>("ls => ls.map(l => l.getAttribute('href'))");
        Assert.All(links, href => Assert.StartsWith(prefix + "/", href));
        await browser.ScreenshotAsync($"{fixture.Engine}-lambda-error");

        browser.AssertClean();
    }
}
