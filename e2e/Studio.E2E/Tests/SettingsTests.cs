using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>The studio owner changes the brand colour and uploads a logo in the settings; the public page shows them.</summary>
public sealed class SettingsTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string Password = "correct-horse-battery";

    [SkippableFact]
    public async Task The_owner_changes_the_brand_colour_and_logo_and_the_public_page_shows_them()
    {
        var id = Names.Unique();
        var host = $"settings-{id}.localhost";
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"settings-{id}",
            Hosts = [host],
            Theme = "Aurora",
            Brand = new BrandSettings { DisplayName = $"Kappa {id}", PrimaryColor = "#c0392b" },
        });
        var email = $"owner-{id}@example.test";
        await CreateOwnerAsync(tenant.Name, email);

        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        await page.GotoAsync(fixture.Server.UrlFor(host, IdentityPaths.SignIn).AbsoluteUri);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor(host).AbsoluteUri);

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor(host, "/admin/settings").AbsoluteUri);
        await page.GetByLabel("Primary colour").FillAsync("#2e86c1");
        await page.Locator("input[name=Logo]").SetInputFilesAsync(new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Png(64, 32) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Settings saved");

        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(host))).Status);
        Assert.Equal("rgb(46, 134, 193)", await page.Locator(".site-header").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        var logo = page.Locator("img.brand-logo");
        await Assertions.Expect(logo).ToBeVisibleAsync();
        Assert.Matches("^/media/brand/logo-[0-9a-f]{64}\\.png$", await logo.GetAttributeAsync("src"));
        // Decoded by the browser: a real image of the uploaded size, despite the page's strict CSP.
        Assert.Equal(64, await logo.EvaluateAsync<int>("async e => { await e.decode(); return e.naturalWidth; }"));
        await browser.ScreenshotAsync($"{fixture.Engine}-settings-brand");

        browser.AssertClean();
    }

    private async Task CreateOwnerAsync(string tenant, string email)
    {
        var shells = fixture.Server.Services.GetRequiredService<ShellHost>();
        var shell = await shells.AcquireAsync(shells.Table.ByName[tenant], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            var user = new StudioUser
            {
                UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true,
                DisplayName = "Olive Owner", CreatedUtc = DateTime.UtcNow,
            };
            var created = await users.CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, StudioRoles.Owner)).Succeeded);
        }
        finally { shell.Leave(); }
    }

    /// <summary>A real PNG (one colour) of the given size.</summary>
    private static byte[] Png(int width, int height) => Studio.Tests.Infrastructure.TestImages.Png(width, height, 0x2E, 0x86, 0xC1);
}
