using Microsoft.Extensions.DependencyInjection;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Xunit.Abstractions;

namespace Studio.E2E.Tests;

/// <summary>Two tenants on two host names, seen in a real browser: each its own theme and brand.</summary>
public sealed class TenantThemeTests(E2EFixture fixture, ITestOutputHelper output) : IClassFixture<E2EFixture>
{
    [SkippableFact]
    public async Task Two_tenants_on_two_host_names_show_their_own_theme_and_brand()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var alpha = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"alpha-{id}",
            Hosts = [$"alpha-{id}.localhost"],
            Theme = "Aurora",
            Brand = new BrandSettings { DisplayName = $"Alpha Sound {id}", PrimaryColor = "#c0392b" },
        });
        var beta = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"beta-{id}",
            Hosts = [$"beta-{id}.localhost"],
            Theme = "Midnight",
            Brand = new BrandSettings { DisplayName = $"Beta Records {id}", PrimaryColor = "#1e8449" },
        });

        var page = browser.Page;

        var alphaUrl = fixture.Server.UrlFor(alpha.Hosts[0]);
        Assert.Equal(200, (await browser.GotoAsync(alphaUrl)).Status);
        Assert.Equal("Aurora", await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal("rgb(192, 57, 43)", await ComputedStyleAsync(page, ".site-header", "backgroundColor"));
        Assert.Equal($"Alpha Sound {id}", (await page.Locator(".brand-name").InnerTextAsync()).Trim());
        Assert.Contains($"Welcome to Alpha Sound {id}", await page.Locator("h1").InnerTextAsync());
        Assert.DoesNotContain("Beta Records", await page.ContentAsync());
        AssertLoaded(browser, alphaUrl, "/_content/Studio.Themes.Aurora/theme.css");
        AssertLoaded(browser, alphaUrl, "/brand.css");
        await AssertIconAsync(browser, "/_content/Studio.Themes.Aurora/favicon.svg");
        var alphaBackground = await ComputedStyleAsync(page, "body", "backgroundColor");
        output.WriteLine("Alpha screenshot: " + await browser.ScreenshotAsync($"{fixture.Engine}-alpha-aurora"));

        var betaUrl = fixture.Server.UrlFor(beta.Hosts[0]);
        Assert.Equal(200, (await browser.GotoAsync(betaUrl)).Status);
        Assert.Equal("Midnight", await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal("rgb(30, 132, 73)", await ComputedStyleAsync(page, ".sidebar", "borderRightColor"));
        Assert.Equal($"Beta Records {id}", (await page.Locator(".brand-name").InnerTextAsync()).Trim());
        Assert.DoesNotContain("Alpha Sound", await page.ContentAsync());
        AssertLoaded(browser, betaUrl, "/_content/Studio.Themes.Midnight/theme.css");
        AssertLoaded(browser, betaUrl, "/brand.css");
        await AssertIconAsync(browser, "/_content/Studio.Themes.Midnight/favicon.svg");
        // Midnight is dark, Aurora light: the themes differ beyond the brand colour.
        Assert.NotEqual(alphaBackground, await ComputedStyleAsync(page, "body", "backgroundColor"));
        output.WriteLine("Beta screenshot: " + await browser.ScreenshotAsync($"{fixture.Engine}-beta-midnight"));

        browser.AssertClean();
    }

    [SkippableFact]
    public async Task Brand_and_theme_changes_show_on_the_next_page_load_despite_the_cached_stylesheet()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"epsilon-{id}",
            Hosts = [$"epsilon-{id}.localhost"],
            Theme = "Aurora",
            Brand = new BrandSettings { DisplayName = $"Epsilon {id}", PrimaryColor = "#c0392b" },
        });
        var url = fixture.Server.UrlFor(tenant.Hosts[0]);
        Assert.Equal(200, (await browser.GotoAsync(url)).Status);
        Assert.Equal("rgb(192, 57, 43)", await ComputedStyleAsync(browser.Page, ".site-header", "backgroundColor"));
        // /brand.css?v={version} is cached as immutable: the browser keeps it, so only a new URL can change it.
        Assert.Contains("immutable", AssertLoaded(browser, url, "/brand.css").Headers["cache-control"]);

        await fixture.Server.Services.GetRequiredService<TenantService>().UpdateAsync(tenant.Name, tenant.Version,
            t => t with { Brand = t.Brand with { DisplayName = $"Epsilon Renamed {id}", PrimaryColor = "#2e86c1" } });

        Assert.Equal(200, (await browser.ReloadAsync()).Status);
        Assert.Equal("rgb(46, 134, 193)", await ComputedStyleAsync(browser.Page, ".site-header", "backgroundColor"));
        Assert.Equal($"Epsilon Renamed {id}", (await browser.Page.Locator(".brand-name").InnerTextAsync()).Trim());

        // A theme switch is live too: same brand, the other theme's layout and stylesheet.
        var current = await fixture.Server.Services.GetRequiredService<ITenantStore>().FindAsync(tenant.Name);
        await fixture.Server.Services.GetRequiredService<TenantService>().UpdateAsync(tenant.Name, current!.Version, t => t with { Theme = "Midnight" });
        Assert.Equal(200, (await browser.ReloadAsync()).Status);
        Assert.Equal("Midnight", await browser.Page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal("rgb(46, 134, 193)", await ComputedStyleAsync(browser.Page, ".sidebar", "borderRightColor"));
        AssertLoaded(browser, url, "/_content/Studio.Themes.Midnight/theme.css");

        browser.AssertClean();
    }

    [SkippableFact]
    public async Task A_wildcard_host_name_serves_the_tenant_on_every_subdomain()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"theta-{id}",
            Hosts = [$"*.theta-{id}.localhost"],
            Theme = "Midnight",
            Brand = new BrandSettings { DisplayName = $"Theta {id}" },
        });
        foreach (var sub in new[] { "studio", "live-room" })
        {
            var url = fixture.Server.UrlFor($"{sub}.theta-{id}.localhost");
            Assert.Equal(200, (await browser.GotoAsync(url)).Status);
            Assert.Equal($"Theta {id}", (await browser.Page.Locator(".brand-name").InnerTextAsync()).Trim());
            AssertLoaded(browser, url, "/brand.css");
        }
        // The wildcard covers subdomains only, not the bare name.
        var bare = fixture.Server.UrlFor($"theta-{id}.localhost");
        browser.Expect(bare, 404);
        Assert.Equal(404, (await browser.GotoAsync(bare)).Status);

        browser.AssertClean();
    }

    [SkippableFact]
    public async Task Brand_font_accent_colour_and_custom_css_apply_over_the_theme()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var id = Names.Unique();
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"eta-{id}",
            Hosts = [$"eta-{id}.localhost"],
            Theme = "Aurora",
            Features = ["Studio.Hello"], // its navigation link gives the home page an accent-coloured card
            Brand = new BrandSettings
            {
                DisplayName = $"Eta {id}",
                AccentColor = "#8e44ad",
                Font = "mono",
                CustomCss = ".brand-name { text-transform: uppercase; letter-spacing: 2px; }",
            },
        });
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(tenant.Hosts[0]))).Status);
        var page = browser.Page;

        Assert.Equal("rgb(142, 68, 173)", await ComputedStyleAsync(page, ".card", "borderTopColor"));
        Assert.Contains("monospace", await ComputedStyleAsync(page, "body", "fontFamily"));
        Assert.Equal("uppercase", await ComputedStyleAsync(page, ".brand-name", "textTransform"));
        Assert.Equal("2px", await ComputedStyleAsync(page, ".brand-name", "letterSpacing"));
        // No primary colour set: the theme's own stays.
        Assert.Equal("rgb(180, 68, 44)", await ComputedStyleAsync(page, ".site-header", "backgroundColor"));
        await browser.ScreenshotAsync($"{fixture.Engine}-eta-brand");

        browser.AssertClean();
    }

    private static async Task AssertIconAsync(BrowserPage browser, string path)
    {
        var href = await browser.Page.Locator("link[rel=icon]").GetAttributeAsync("href");
        Assert.Equal(path, href);
        // Fetched by the page itself: only the browser resolves *.localhost host names, Playwright's node does not.
        var icon = await browser.Page.EvaluateAsync<string[]>(
            "async href => { const r = await fetch(href); return [String(r.status), r.headers.get('content-type')]; }", href);
        Assert.Equal("200", icon[0]);
        Assert.StartsWith("image/svg+xml", icon[1]);
    }

    private static Task<string> ComputedStyleAsync(Microsoft.Playwright.IPage page, string selector, string property) =>
        page.Locator(selector).First.EvaluateAsync<string>($"e => getComputedStyle(e).{property}");

    private static Microsoft.Playwright.IResponse AssertLoaded(BrowserPage browser, Uri site, string path)
    {
        var response = browser.FindResponse(u => u.Host == site.Host && u.Port == site.Port && u.AbsolutePath == path);
        Assert.True(response is not null, $"The page did not load {path} from {site.Host}.");
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/css", response.Headers["content-type"]);
        return response;
    }
}
