using Microsoft.Playwright;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// How the tests wait for the page a click or a submitted form leads to: until the browser is at the expected
/// address, then until that document is parsed, asked of the page itself.
/// </summary>
/// <remarks>
/// Playwright's own waits (<c>WaitForURLAsync</c> with any <c>WaitUntil</c>) follow the page's load states through
/// events the .NET client keeps; on a loaded CI machine one such wait now and then never saw
/// <c>domcontentloaded</c> or <c>load</c> arrive, only <c>networkidle</c>, and timed out on a page that was long
/// there (three runs in two sessions, each time a different test). The address is read from the page's state and
/// the document's <c>readyState</c> from the page, so neither depends on catching an event at the right moment.
/// </remarks>
public static class PageWaits
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the page is at exactly <paramref name="url"/> and its document is parsed.</summary>
    public static Task WaitForPageAsync(this IPage page, string url, TimeSpan? limit = null) =>
        page.WaitForPageAsync(current => current == url, url, limit ?? DefaultLimit);

    /// <summary>Waits until the page's address satisfies <paramref name="url"/> and its document is parsed.</summary>
    public static Task WaitForPageAsync(this IPage page, Func<string, bool> url, TimeSpan? limit = null) =>
        page.WaitForPageAsync(url, "the expected address", limit ?? DefaultLimit);

    private static async Task WaitForPageAsync(this IPage page, Func<string, bool> url, string expected, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!url(page.Url))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The browser did not reach {expected} within {limit.TotalSeconds:0} s; it is at {page.Url}.");
            await Task.Delay(25);
        }
        await page.WaitForFunctionAsync("() => document.readyState !== 'loading'", null,
            new() { Timeout = (float)limit.TotalMilliseconds, PollingInterval = 25 });
    }
}
