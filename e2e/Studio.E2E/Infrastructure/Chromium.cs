using Microsoft.Playwright;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright. The driver (node and its package) ships in the Playwright NuGet
/// package and is copied to the output's <c>.playwright</c> folder; no browser is ever downloaded.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>Debian's package <c>chromium</c> installs it here.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"The e2e tests need Chromium at {ExecutablePath} (Debian package 'chromium').");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                ],
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
