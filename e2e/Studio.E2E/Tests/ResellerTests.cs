using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>A reseller signs in on the platform's host and its area lists its own tenants only.</summary>
public sealed class ResellerTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string Password = "correct-horse-battery";

    [SkippableFact]
    public async Task A_reseller_signs_in_and_sees_only_its_own_tenants()
    {
        var services = fixture.Server.Services;
        if (!services.GetRequiredService<ShellHost>().Table.ByName[TenantContext.DefaultName].Features.Contains("Studio.Resellers"))
            await fixture.Server.EnableFeaturesAsync(TenantContext.DefaultName, "Studio.Resellers");
        var id = Names.Unique();
        var op = new PlatformActor("e2e", "E2E operator");
        var directory = services.GetRequiredService<IResellerDirectory>();
        var tenants = services.GetRequiredService<ITenantAdministration>();
        var mine = await directory.SaveAsync(op, new ResellerInfo { Id = $"acme-{id}", Name = $"Acme {id}", TenantQuota = 5, Plans = ["studio"] }, null);
        var other = await directory.SaveAsync(op, new ResellerInfo { Id = $"zenith-{id}", Name = $"Zenith {id}", TenantQuota = 5, Plans = ["studio"] }, null);
        foreach (var (name, reseller) in new[] { ($"own-a-{id}", mine.Id), ($"own-b-{id}", mine.Id), ($"theirs-{id}", other.Id) })
            await tenants.CreateAsync(op, new TenantDraft { Name = name, Hosts = [$"{name}.localhost"], Plan = "studio", Reseller = reseller });

        var email = $"ria-{id}@example.test";
        var shells = services.GetRequiredService<ShellHost>();
        var shell = await shells.AcquireAsync(shells.Table.ByName[TenantContext.DefaultName], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            Assert.Null(await scope.ServiceProvider.GetRequiredService<IResellerAccounts>().CreateAsync(email, "Ria", mine.Id, Password));
        }
        finally { shell.Leave(); }

        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost", "/account/sign-in"))).Status);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForPageAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal));

        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor("localhost", "/reseller"))).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your tenants" })).ToBeVisibleAsync();
        var table = page.Locator("table.tenants");
        await Assertions.Expect(table.GetByRole(AriaRole.Link, new() { Name = $"own-a-{id}", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Link, new() { Name = $"own-b-{id}", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(table).Not.ToContainTextAsync($"theirs-{id}");
        await Assertions.Expect(page.Locator(".reseller-quota")).ToContainTextAsync("2 of 5 tenants used");
        await browser.ScreenshotAsync($"{fixture.Engine}-reseller-tenants");

        // The other reseller's tenant, guessed in the address bar, does not exist for this reseller.
        var guessed = fixture.Server.UrlFor("localhost", $"/reseller/tenants/theirs-{id}");
        browser.Expect(guessed, 404);
        Assert.Equal(404, (await browser.GotoAsync(guessed)).Status);

        browser.AssertClean();
    }
}
