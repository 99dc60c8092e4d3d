using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Studio.Tests.Currencies;

/// <summary>
/// A feed server on loopback serving the recorded ECB sample (or a variant, a malformed body, or 503), so the host's
/// real fetch — named client, resilience pipeline, size cap, parser — runs without the internet.
/// </summary>
public sealed class LocalRateFeed : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile byte[]? _body = EcbFeedTests.Sample();
    private int _requests;

    private LocalRateFeed(WebApplication app) => _app = app;

    /// <summary>The feed's address (http://127.0.0.1:port/eurofxref-daily.xml).</summary>
    public string Url { get; private set; } = "";

    /// <summary>Requests answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static LocalRateFeed Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var feed = new LocalRateFeed(app);
        app.MapGet("/eurofxref-daily.xml", async (HttpContext context) =>
        {
            Interlocked.Increment(ref feed._requests);
            if (feed._body is not { } body)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            context.Response.ContentType = "text/xml";
            await context.Response.Body.WriteAsync(body);
        });
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        feed.Url = address.TrimEnd('/') + "/eurofxref-daily.xml";
        return feed;
    }

    /// <summary>Serves the recorded sample (2099-01-02).</summary>
    public void ServeSample() => _body = EcbFeedTests.Sample();

    /// <summary>Serves the sample's format for another day and USD rate.</summary>
    public void ServeDay(string day, string usdRate) => _body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(EcbFeedTests.Sample())
        .Replace("time='2099-01-02'", $"time='{day}'").Replace("rate='1.1000'", $"rate='{usdRate}'"));

    /// <summary>Serves a body that is not an ECB feed.</summary>
    public void ServeMalformed() => _body = Encoding.UTF8.GetBytes("<html><body>Maintenance</body></html>");

    /// <summary>Answers 503 (unreachable for the client, after its retries).</summary>
    public void GoDown() => _body = null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
