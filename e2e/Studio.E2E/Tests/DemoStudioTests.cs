using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;

namespace Studio.E2E.Tests;

/// <summary>The first run: a new user opens demo.localhost and finds a working, themed studio.</summary>
public sealed class DemoStudioTests(DemoStudioFixture fixture) : IClassFixture<DemoStudioFixture>
{
    [SkippableFact]
    public async Task The_first_run_serves_the_demo_studio_from_its_recipe_on_demo_localhost()
    {
        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        // Expectations come from the recipe the host itself read, so editing the demo does not break the test.
        var recipe = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "recipes", "demo-studio.json")))!;
        var steps = recipe["steps"]!.AsArray();
        JsonNode Step(string name) => steps.Single(s => (string?)s!["name"] == name)!;
        var brand = Step("brand");
        var theme = (string)Step("theme")["theme"]!;
        var headline = (string)Step("settings")["settings"]!["Hello"]!["Headline"]!;
        var greetings = Step("greetings")["items"]!.AsArray().Select(g => $"{g!["author"]}: {g["message"]}").ToList();

        var home = fixture.Server.UrlFor("demo.localhost");
        Assert.Equal(200, (await browser.GotoAsync(home)).Status);
        Assert.Equal(theme, await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.Equal((string)Step("tenant")["culture"]!, await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal((string)brand["displayName"]!, (await page.Locator(".brand-name").InnerTextAsync()).Trim());
        Assert.Equal(Rgb((string)brand["primaryColor"]!), await page.Locator("h1").EvaluateAsync<string>("e => getComputedStyle(e).color"));
        await browser.ScreenshotAsync($"{fixture.Engine}-demo-home");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Guest book" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor("demo.localhost", "/hello").AbsoluteUri);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = headline })).ToBeVisibleAsync();
        var listed = await page.Locator(".greetings li").AllInnerTextsAsync();
        Assert.Equal(greetings.Order(), listed.Select(l => l.Trim()).Order());
        await browser.ScreenshotAsync($"{fixture.Engine}-demo-guestbook");

        // The platform's own site answers on localhost beside it, in the default theme.
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost"))).Status);
        Assert.Equal("Aurora", await page.Locator("body").GetAttributeAsync("data-theme"));
        Assert.DoesNotContain((string)brand["displayName"]!, await page.ContentAsync());

        browser.AssertClean();
    }

    private static string Rgb(string hex)
    {
        int Channel(int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return $"rgb({Channel(1)}, {Channel(3)}, {Channel(5)})";
    }
}
