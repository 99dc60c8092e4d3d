using Microsoft.Playwright;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>A visitor switches the studio's site to another language with the picker in the header, without script.</summary>
public sealed class LanguageTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    [SkippableFact]
    public async Task A_visitor_picks_French_in_the_header_and_every_page_after_is_in_French()
    {
        var id = Names.Unique();
        var host = $"language-{id}.localhost";
        await fixture.Server.CreateTenantAsync(new TenantCreateRequest { Name = $"language-{id}", Hosts = [host], Theme = "Aurora", Culture = "en-GB" });

        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(host))).Status);
        Assert.Equal("en-GB", await page.Locator("html").GetAttributeAsync("lang"));
        var english = await page.Locator(".skip-link").InnerTextAsync();

        await page.GetByLabel("Language").SelectOptionAsync("fr");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor(host).AbsoluteUri);
        Assert.Equal("fr-FR", await page.Locator("html").GetAttributeAsync("lang"));
        var french = await page.Locator(".skip-link").InnerTextAsync();
        Assert.NotEqual(english, french);
        Assert.Equal("fr", await page.Locator("select[name=language]").InputValueAsync());

        // The choice is remembered: another page of the site, opened directly, is in French too.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(host, "/account/sign-in"))).Status);
        Assert.Equal("fr-FR", await page.Locator("html").GetAttributeAsync("lang"));
        await browser.ScreenshotAsync($"{fixture.Engine}-language-french");
        browser.AssertClean();
    }
}
