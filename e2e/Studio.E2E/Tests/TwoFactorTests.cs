using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.E2E.Tests;

/// <summary>
/// A user enrols an authenticator in a real browser and signs in with it, the codes coming from an implementation
/// nobody here wrote: Debian's <c>oathtool --totp</c>. Then a recovery code, once.
/// </summary>
public sealed class TwoFactorTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string Oathtool = "/usr/bin/oathtool";
    private const string Password = "correct-horse-battery-staple";

    /// <summary>
    /// Skips on a developer's machine without oathtool, like the other tests that need a Debian tool; under CI
    /// (<c>CI=true</c>) a missing oathtool fails instead, so the test can never pass there by not running. There is
    /// no fallback to our own TOTP code: the point of this test is an independent implementation.
    /// </summary>
    private static void RequireOathtool()
    {
        Skip.If(!File.Exists(Oathtool) && Environment.GetEnvironmentVariable("CI") != "true",
            $"{Oathtool} is not installed (Debian: apt-get install oathtool).");
        Assert.True(File.Exists(Oathtool), $"{Oathtool} is missing but CI=true (.ci/run installs it).");
    }

    /// <summary>A TOTP code from oathtool for <paramref name="base32Key"/>, at now + <paramref name="offsetSeconds"/>.</summary>
    private static async Task<string> OathtoolAsync(string base32Key, int offsetSeconds = 0)
    {
        var start = new ProcessStartInfo(Oathtool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--totp", "-b", base32Key })
            start.ArgumentList.Add(argument);
        if (offsetSeconds != 0)
        {
            start.ArgumentList.Add("--now");
            start.ArgumentList.Add(DateTimeOffset.UtcNow.AddSeconds(offsetSeconds).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        }
        using var process = Process.Start(start)!;
        var output = (await process.StandardOutput.ReadToEndAsync()).Trim();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"oathtool failed ({process.ExitCode}): {error}");
        Assert.Matches("^[0-9]{6}$", output);
        return output;
    }

    private async Task<StudioUser> CreateUserAsync(string tenant, string email)
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
                DisplayName = "Eve Engineer", CreatedUtc = DateTime.UtcNow,
            };
            var created = await users.CreateAsync(user, Password);
            Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
            Assert.True((await users.AddToRoleAsync(user, StudioRoles.Engineer)).Succeeded);
            return user;
        }
        finally { shell.Leave(); }
    }

    private static async Task SignInWithPasswordAsync(IPage page, Uri signIn, string email)
    {
        await page.GotoAsync(signIn.AbsoluteUri);
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [SkippableFact]
    public async Task A_user_enrols_and_signs_in_with_codes_from_oathtool()
    {
        RequireOathtool();
        var id = Names.Unique();
        var host = $"tf-{id}.localhost";
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"tf-{id}",
            Hosts = [host],
            Theme = "Aurora",
            Features = ["Studio.TwoFactor"],
            Brand = new BrandSettings { DisplayName = $"Echo Rooms {id}" },
        });
        var email = $"eve-{id}@example.test";
        await CreateUserAsync(tenant.Name, email);
        var signIn = fixture.Server.UrlFor(host, IdentityPaths.SignIn);
        var setupUrl = fixture.Server.UrlFor(host, IdentityPaths.TwoFactorSetup);
        var home = fixture.Server.UrlFor(host);

        // Enrol: sign in (one step so far), open the setup page, type oathtool's code for the key shown.
        string key;
        List<string> recoveryCodes;
        await using (var browser = await BrowserPage.OpenAsync(fixture))
        {
            var page = browser.Page;
            await SignInWithPasswordAsync(page, signIn, email);
            await page.WaitForPageAsync(home.AbsoluteUri);
            Assert.Equal(200, (await browser.GotoAsync(setupUrl)).Status);
            await Assertions.Expect(page.Locator(".two-factor-qr svg")).ToBeVisibleAsync();
            var uri = await page.Locator("#otpauth-link").GetAttributeAsync("href");
            Assert.StartsWith($"otpauth://totp/Echo%20Rooms%20{id}:", uri);
            key = (await page.Locator("#manual-key").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            Assert.Contains($"secret={key}&", uri);

            await page.GetByLabel("Authentication code").FillAsync(await OathtoolAsync(key));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor authentication" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Two-factor authentication is on.")).ToBeVisibleAsync();
            recoveryCodes = [.. (await page.Locator("#recovery-codes li").AllInnerTextsAsync()).Select(c => c.Trim())];
            Assert.Equal(10, recoveryCodes.Count);
            await browser.ScreenshotAsync($"{fixture.Engine}-two-factor-enrolled");
            browser.AssertClean();
        }

        // Another browser: the password is no longer enough; oathtool's code is. The code of the next step is used,
        // so the test never waits for the clock (the server accepts ±1 step, and the enrolment's step is spent).
        await using (var browser = await BrowserPage.OpenAsync(fixture))
        {
            var page = browser.Page;
            await SignInWithPasswordAsync(page, signIn, email);
            await page.WaitForPageAsync(url => new Uri(url).AbsolutePath == IdentityPaths.TwoFactor);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication" })).ToBeVisibleAsync();

            await page.GetByLabel("Authentication code").FillAsync("000000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.Locator(".validation li")).ToContainTextAsync(["That code is not valid."]);

            await page.GetByLabel("Authentication code").FillAsync(await OathtoolAsync(key, offsetSeconds: 30));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await page.WaitForPageAsync(home.AbsoluteUri);
            Assert.Equal(200, (await browser.GotoAsync(setupUrl)).Status);
            await Assertions.Expect(page.GetByText("Two-factor authentication is on for your account.")).ToBeVisibleAsync();
            browser.AssertClean();
        }

        // A third browser, phone lost: "use a recovery code" signs in once with one of the codes.
        await using (var browser = await BrowserPage.OpenAsync(fixture))
        {
            var page = browser.Page;
            await SignInWithPasswordAsync(page, signIn, email);
            await page.GetByRole(AriaRole.Link, new() { Name = "Use a recovery code" }).ClickAsync();
            await page.GetByLabel("Recovery code").FillAsync(recoveryCodes[0]);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForPageAsync(home.AbsoluteUri);
            Assert.Equal(200, (await browser.GotoAsync(setupUrl)).Status);
            await Assertions.Expect(page.GetByText("Recovery codes left: 9.")).ToBeVisibleAsync();
            browser.AssertClean();
        }
    }
}
