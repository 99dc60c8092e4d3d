using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Studio.E2E.Infrastructure;

/// <summary>
/// A fresh browser context and page that records everything that went wrong while a test used it: console
/// errors, requests that failed, and responses of 400 or more. A test states the few failures it expects (a
/// 404 it navigates to on purpose) and <see cref="AssertClean"/> fails on anything else — and on any
/// warning or error the server logged.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ServerLog _serverLog;
    private readonly int _serverLogStart;
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<IResponse> _responses = new();
    private readonly ConcurrentDictionary<string, int> _expected = new();
    private readonly ConcurrentDictionary<string, bool> _finished = new();

    private BrowserPage(IBrowserContext context, IPage page, ServerLog serverLog)
    {
        _context = context;
        Page = page;
        _serverLog = serverLog;
        // Only what the server logs from now on belongs to this test; the fixture checks the whole log at the end.
        _serverLogStart = serverLog.Problems.Count;
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" && !IsExpected(message.Location))
                _problems.Enqueue($"console {message.Type}: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            _finished[request.Url] = false;
            _problems.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
        };
        page.RequestFinished += (_, request) => _finished[request.Url] = true;
        page.Response += (_, response) =>
        {
            _responses.Enqueue(response);
            if (response.Status >= 400 && !(_expected.TryGetValue(response.Url, out var status) && status == response.Status))
                _problems.Enqueue($"HTTP {response.Status} for {response.Request.ResourceType} {response.Request.Method} {response.Url}");
        };
    }

    public IPage Page { get; }

    /// <summary>Every response the page received, in order.</summary>
    public IReadOnlyList<IResponse> Responses => _responses.ToArray();

    public static async Task<BrowserPage> OpenAsync(E2EFixture fixture)
    {
        var context = await fixture.Chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page, fixture.Server.Log);
    }

    /// <summary>Declares that <paramref name="url"/> is meant to answer <paramref name="status"/> (e.g. a 404 the test asks for).</summary>
    public void Expect(Uri url, int status) => _expected[url.AbsoluteUri] = status;

    /// <summary>Navigates, waits until the page has settled, and returns the main document's response.</summary>
    public async Task<IResponse> GotoAsync(Uri url)
    {
        var response = await Page.GotoAsync(url.AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        await SettleAsync();
        return response;
    }

    /// <summary>Reloads, waits until the page has settled, and returns the main document's response.</summary>
    public async Task<IResponse> ReloadAsync()
    {
        var response = await Page.ReloadAsync(new() { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        await SettleAsync();
        return response;
    }

    /// <summary>
    /// Waits for the page's icon, which Chromium fetches only after the load event: a test that changes the
    /// tenant or navigates on at once would otherwise see that late request fail and report it.
    /// </summary>
    public async Task SettleAsync()
    {
        var icon = await Page.EvaluateAsync<string?>("() => document.querySelector('link[rel~=icon]')?.href ?? null");
        if (icon is null || icon.StartsWith("data:", StringComparison.Ordinal))
            return;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_finished.ContainsKey(icon))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The browser did not fetch the page's icon {icon}.");
            await Task.Delay(20);
        }
    }

    /// <summary>The latest response whose URL matches.</summary>
    public IResponse? FindResponse(Func<Uri, bool> match) =>
        Responses.LastOrDefault(r => match(new Uri(r.Url)));

    /// <summary>Fails when the browser or the server reported a problem.</summary>
    public void AssertClean()
    {
        var problems = _problems.Concat(_serverLog.Problems.Skip(_serverLogStart)).ToList();
        Assert.True(problems.Count == 0, "Problems during the test:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    /// <summary>Saves a screenshot under the test output's <c>screenshots</c> folder and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    // Chromium reports "Failed to load resource" for an expected 404 too; its location is "url:line:column".
    private bool IsExpected(string? location) =>
        !string.IsNullOrEmpty(location) && _expected.Keys.Any(url => location.StartsWith(url, StringComparison.Ordinal));
}
