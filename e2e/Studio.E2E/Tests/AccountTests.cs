using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;

namespace Studio.E2E.Tests;

/// <summary>A new user signs in to the demo studio with the recipe's owner account, finds the staff page, signs out.</summary>
public sealed class AccountTests(DemoStudioFixture fixture) : IClassFixture<DemoStudioFixture>
{
    [SkippableFact]
    public async Task The_demo_owner_signs_in_sees_the_staff_and_signs_out()
    {
        var recipe = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "recipes", "demo-studio.json")))!;
        var owner = recipe["steps"]!.AsArray().Single(s => (string?)s!["name"] == "users")!["items"]![0]!;
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("demo.localhost"))).Status);
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor("demo.localhost", "/account/sign-in").AbsoluteUri);
        await page.GetByLabel("E-mail address").FillAsync((string)owner["email"]!);
        await page.GetByLabel("Password").FillAsync((string)owner["password"]!);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor("demo.localhost").AbsoluteUri);

        await navigation.GetByRole(AriaRole.Link, new() { Name = "Staff" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor("demo.localhost", "/admin/staff").AbsoluteUri);
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = (string)owner["email"]! })).ToBeVisibleAsync();
        await browser.ScreenshotAsync($"{fixture.Engine}-demo-staff");

        await navigation.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor("demo.localhost").AbsoluteUri);
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // Signed out, the admin area sends the browser to the sign-in page with the way back.
        await browser.GotoAsync(fixture.Server.UrlFor("demo.localhost", "/admin/staff"));
        Assert.Equal("/account/sign-in", new Uri(page.Url).AbsolutePath);
        Assert.Contains("ReturnUrl=%2Fadmin%2Fstaff", page.Url);

        browser.AssertClean();
    }
}
