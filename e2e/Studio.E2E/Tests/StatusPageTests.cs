using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>What a visitor sees when no tenant can serve the address, or the tenant is switched off.</summary>
public sealed class StatusPageTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    [SkippableFact]
    public async Task An_unknown_host_name_shows_the_plain_not_found_page()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var url = fixture.Server.UrlFor($"nobody-{Names.Unique()}.localhost");
        browser.Expect(url, 404);

        Assert.Equal(404, (await browser.GotoAsync(url)).Status);
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "Site not found" })).ToBeVisibleAsync();
        // No tenant's look or content leaks into it: no theme, no stylesheet, no navigation.
        Assert.Null(await browser.Page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal(0, await browser.Page.Locator("link[rel=stylesheet], nav").CountAsync());

        browser.AssertClean();
    }

    [SkippableFact]
    public async Task A_disabled_tenant_answers_503_and_comes_back_when_enabled()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"zeta-{id}",
            Hosts = [$"zeta-{id}.localhost"],
            Brand = new BrandSettings { DisplayName = $"Zeta {id}" },
        });
        var url = fixture.Server.UrlFor(tenant.Hosts[0]);
        var tenants = fixture.Server.Services.GetRequiredService<TenantService>();
        Assert.Equal(200, (await browser.GotoAsync(url)).Status);

        await tenants.SetEnabledAsync(tenant.Name, enabled: false);
        browser.Expect(url, 503);
        Assert.Equal(503, (await browser.ReloadAsync()).Status);
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Name = "This studio is unavailable" })).ToBeVisibleAsync();
        Assert.DoesNotContain($"Zeta {id}", await browser.Page.ContentAsync());

        await tenants.SetEnabledAsync(tenant.Name, enabled: true);
        Assert.Equal(200, (await browser.ReloadAsync()).Status);
        Assert.Equal($"Zeta {id}", (await browser.Page.Locator(".brand-name").InnerTextAsync()).Trim());

        browser.AssertClean();
    }
}
