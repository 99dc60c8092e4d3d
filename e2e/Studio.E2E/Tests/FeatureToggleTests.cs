using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Host.Features;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>Enabling a feature makes its page appear live, in the same browser, without a restart.</summary>
public sealed class FeatureToggleTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string Hello = "Studio.Hello";

    [SkippableFact]
    public async Task Enabling_a_feature_shows_its_page_and_its_form_works_without_restart()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"gamma-{id}",
            Hosts = [$"gamma-{id}.localhost"],
            Theme = "Aurora",
            Brand = new BrandSettings { DisplayName = $"Gamma Studio {id}" },
        });
        Assert.DoesNotContain(Hello, tenant.Features);

        var page = browser.Page;
        var home = fixture.Server.UrlFor(tenant.Hosts[0]);
        var hello = fixture.Server.UrlFor(tenant.Hosts[0], "/hello");

        // Disabled: the page is not there and nothing links to it.
        browser.Expect(hello, 404);
        Assert.Equal(404, (await browser.GotoAsync(hello)).Status);
        Assert.Equal(200, (await browser.GotoAsync(home)).Status);
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToBeVisibleAsync();
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Guest book" })).ToHaveCountAsync(0);

        await fixture.Server.EnableFeaturesAsync(tenant.Name, Hello);

        // Same browser, same server process: a reload shows the new feature.
        Assert.Equal(200, (await browser.ReloadAsync()).Status);
        var guestBook = navigation.GetByRole(AriaRole.Link, new() { Name = "Guest book" });
        await Assertions.Expect(guestBook).ToBeVisibleAsync();
        await guestBook.ClickAsync();
        await page.WaitForPageAsync(hello.AbsoluteUri);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Guest book" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No greetings yet. Be the first!")).ToBeVisibleAsync();

        // Blank input passes the browser's "required" check; the server refuses it and says why, in the page.
        await page.GetByLabel("Your name").FillAsync("   ");
        await page.GetByLabel("Message").FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the guest book" }).ClickAsync();
        await Assertions.Expect(page.Locator(".validation li")).ToHaveTextAsync([
            "Please give your name (at most 80 characters).", "Please write a message (at most 500 characters)."]);

        // The form posts with its antiforgery token and cookie, then redirects back to the list.
        await page.GetByLabel("Your name").FillAsync("Ada");
        await page.GetByLabel("Message").FillAsync($"Hello from the browser {id}");
        var post = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url == hello.AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the guest book" }).ClickAsync();
        Assert.Equal(302, (await post).Status);
        await page.WaitForPageAsync(hello.AbsoluteUri);
        await Assertions.Expect(page.Locator(".greetings li")).ToHaveTextAsync([$"Ada: Hello from the browser {id}"]);
        await browser.ScreenshotAsync($"{fixture.Engine}-gamma-guestbook");

        // And back: disabled again, the page is gone and the link with it, still without a restart.
        var off = await fixture.Server.Services.GetRequiredService<FeatureManager>().ChangeAsync(tenant.Name, [], [Hello], force: false);
        Assert.True(off.Succeeded, off.Error);
        Assert.Equal(404, (await browser.ReloadAsync()).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        Assert.Equal(200, (await browser.GotoAsync(home)).Status);
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Guest book" })).ToHaveCountAsync(0);

        browser.AssertClean();
    }

    [SkippableFact]
    public async Task A_form_opened_before_the_tenant_reloads_still_posts_after_it()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"iota-{id}",
            Hosts = [$"iota-{id}.localhost"],
            Features = [Hello],
        });
        var page = browser.Page;
        var hello = fixture.Server.UrlFor(tenant.Hosts[0], "/hello");
        Assert.Equal(200, (await browser.GotoAsync(hello)).Status);
        var before = fixture.Server.Services.GetRequiredService<ShellFactory>().Activations;

        // The operator changes the tenant while a visitor is typing: its shell is rebuilt under the open form.
        await fixture.Server.Services.GetRequiredService<TenantService>().UpdateAsync(tenant.Name, tenant.Version,
            t => t with { Brand = t.Brand with { DisplayName = $"Iota Renamed {id}" } });

        await page.GetByLabel("Your name").FillAsync("Lin");
        await page.GetByLabel("Message").FillAsync($"Typed across a reload {id}");
        var post = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url == hello.AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the guest book" }).ClickAsync();
        Assert.Equal(302, (await post).Status); // the antiforgery token of the old shell is still honoured
        await Assertions.Expect(page.Locator(".greetings li")).ToHaveTextAsync([$"Lin: Typed across a reload {id}"]);
        Assert.Equal($"Iota Renamed {id}", (await page.Locator(".brand-name").InnerTextAsync()).Trim());
        Assert.True(fixture.Server.Services.GetRequiredService<ShellFactory>().Activations > before, "The tenant was not rebuilt.");

        browser.AssertClean();
    }
}
