using Microsoft.Playwright;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright. The driver (node and its package) ships in the Playwright NuGet
/// package and is copied to the output's <c>.playwright</c> folder; no browser is ever downloaded.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>Debian's package <c>chromium</c> installs it at /usr/bin/chromium; <c>STUDIO_E2E_CHROMIUM</c> names another.</summary>
    public static readonly string ExecutablePath =
        Environment.GetEnvironmentVariable("STUDIO_E2E_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Missing => File.Exists(ExecutablePath)
        ? null
        : $"The e2e tests need Chromium at {ExecutablePath} (Debian: apt-get install chromium).";

    /// <summary>True under CI, where a missing browser is a failure, never a skip.</summary>
    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static async Task<Chromium> LaunchAsync()
    {
        if (Missing is { } missing)
            throw new InvalidOperationException(missing);
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
