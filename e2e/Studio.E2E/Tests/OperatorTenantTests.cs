using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;
using Studio.Host.Features;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>
/// The platform operator, in the browser only: creates a tenant with a host name of its own, sets its brand colour
/// and logo, enables Bookings, and the tenant's site on that host shows the brand and the bookings page.
/// </summary>
public sealed class OperatorTenantTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string Password = "correct-horse-battery";

    [SkippableFact]
    public async Task An_operator_creates_a_branded_tenant_on_its_own_host_enables_bookings_and_its_site_shows_them()
    {
        _ = fixture.Chromium; // skips here, before any set-up, where no browser is installed
        var services = fixture.Server.Services;
        var features = services.GetRequiredService<ShellHost>().Table.ByName[TenantContext.DefaultName].Features;
        string[] operatorFeatures = ["Studio.Tenants", "Studio.Plans", "Studio.Audit"];
        if (!operatorFeatures.All(features.Contains))
        {
            var result = await services.GetRequiredService<FeatureManager>().ChangeAsync(TenantContext.DefaultName, operatorFeatures, [], force: true);
            Assert.True(result.Succeeded, result.Error);
        }
        var id = Names.Unique();
        var email = $"op-{id}@example.test";
        await CreateOperatorAsync(email);
        var name = $"studio-{id}";
        var host = $"sound-{id}.localhost";

        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        await page.GotoAsync(fixture.Server.UrlFor("localhost", IdentityPaths.SignIn).AbsoluteUri);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync(url => !url.Contains(IdentityPaths.SignIn, StringComparison.Ordinal));

        // Create: a host name of its own, the Pro plan.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost", "/admin/tenants/new"))).Status);
        await page.Locator("#Name").FillAsync(name);
        await page.Locator("#DisplayName").FillAsync($"Sound Lab {id}");
        await page.Locator("#Hosts").FillAsync(host);
        await page.Locator("#Recipe").SelectOptionAsync("blank-studio");
        await page.Locator("#Plan").SelectOptionAsync("pro");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the tenant" }).ClickAsync();
        await page.WaitForPageAsync(url => !url.EndsWith("/admin/tenants/new", StringComparison.Ordinal));

        // Brand: colour and logo on the tenant's edit page.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost", $"/admin/tenants/{name}/edit"))).Status);
        await page.GetByLabel("Brand name").FillAsync($"Sound Lab {id}");
        await page.GetByLabel("Primary colour").FillAsync("#8e44ad");
        await page.Locator("input[name=Logo]").SetInputFilesAsync(new FilePayload
        {
            Name = "logo.png", MimeType = "image/png", Buffer = Studio.Tests.Infrastructure.TestImages.Png(48, 24, 0x8E, 0x44, 0xAD),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is saved");

        // Bookings: enable it from the tenant's features page (its dependency comes with it), confirming the change.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost", $"/admin/tenants/{name}/features"))).Status);
        await page.Locator("tr[data-feature='Studio.Bookings']").GetByRole(AriaRole.Link, new() { Name = "Enable…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-feature='Studio.Bookings']")).ToContainTextAsync("On");
        await browser.ScreenshotAsync($"{fixture.Engine}-operator-tenant-features");

        // The tenant's own site, on its own host: the brand, and the bookings page.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(host))).Status);
        Assert.Equal("rgb(142, 68, 173)", await page.Locator(".site-header").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        var logo = page.Locator("img.brand-logo");
        await Assertions.Expect(logo).ToBeVisibleAsync();
        Assert.Equal(48, await logo.EvaluateAsync<int>("async e => { await e.decode(); return e.naturalWidth; }"));
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(host, "/book"))).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book a session" })).ToBeVisibleAsync();
        Assert.Equal("rgb(142, 68, 173)", await page.Locator(".site-header").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await browser.ScreenshotAsync($"{fixture.Engine}-operator-tenant-book");

        browser.AssertClean();
    }

    private async Task CreateOperatorAsync(string email)
    {
        var shells = fixture.Server.Services.GetRequiredService<ShellHost>();
        var shell = await shells.AcquireAsync(shells.Table.ByName[TenantContext.DefaultName], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StudioUser>>();
            var user = new StudioUser
            {
                UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true,
                DisplayName = "Oscar Operator", CreatedUtc = DateTime.UtcNow,
            };
            var created = await users.CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, StudioRoles.Operator)).Succeeded);
        }
        finally { shell.Leave(); }
    }
}
