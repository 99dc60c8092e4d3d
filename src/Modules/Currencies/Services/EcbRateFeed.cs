using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Studio.Modules.Currencies.Services;

/// <summary>
/// Host settings of the rate feed (section <c>Studio:Currencies</c>): <c>FeedUrl</c> (default the ECB's daily file;
/// empty turns fetching off — manual rates and stored rates still work) and <c>RefreshMinutes</c> (default 60; how
/// old the shared copy may be before a tenant's refresh round fetches again; 0 turns the schedule off).
/// </summary>
/// <c>CircuitBreakSeconds</c> (default 30) is how long the feed is left alone after repeated failures.
public sealed record CurrencyOptions(string FeedUrl, TimeSpan RefreshInterval, TimeSpan CircuitBreak)
{
    /// <summary>The ECB's daily euro reference rates.</summary>
    public const string DefaultFeedUrl = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";

    /// <summary>Reads <c>Studio:Currencies</c>.</summary>
    public static CurrencyOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Studio:Currencies");
        var url = section["FeedUrl"] ?? DefaultFeedUrl;
        var minutes = int.TryParse(section["RefreshMinutes"], System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 60;
        var breakSeconds = int.TryParse(section["CircuitBreakSeconds"], System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : 30;
        return new CurrencyOptions(url.Trim(), TimeSpan.FromMinutes(Math.Max(0, minutes)), TimeSpan.FromSeconds(Math.Clamp(breakSeconds, 1, 3600)));
    }

    /// <summary>True when a feed address is configured.</summary>
    public bool FeedEnabled => FeedUrl.Length > 0;
}

/// <summary>What the shared copy of a feed knows: its last good rates and its last attempt.</summary>
/// <param name="Rates">The last rates read successfully, or null.</param>
/// <param name="FetchedUtc">When <paramref name="Rates"/> were fetched.</param>
/// <param name="LastAttemptUtc">When the feed was last tried.</param>
/// <param name="LastError">Why the last attempt failed, or null when it succeeded.</param>
public sealed record FeedStatus(EcbRates? Rates, DateTime? FetchedUtc, DateTime? LastAttemptUtc, EcbFeedError? LastError);

/// <summary>
/// Fetches the ECB feed through the resilient named client and keeps a process-wide copy per feed address, shared
/// by all tenants: the rates are public, so one fetch per <see cref="CurrencyOptions.RefreshInterval"/> serves every
/// tenant (each still stores its own last known rates). Concurrent refreshes of one address wait for one fetch.
/// </summary>
public sealed class EcbRateFeed(IHttpClientFactory clients, CurrencyOptions options, TimeProvider clock, ILogger<EcbRateFeed> logger)
{
    /// <summary>The named HttpClient (resilience pipeline in <see cref="Startup"/>).</summary>
    public const string ClientName = "Studio.Currencies.Ecb";

    /// <summary>The whole fetch (all attempts and the body) takes at most this long.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(15);

    private sealed class Shared
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile FeedStatus Status = new(null, null, null, null);
    }

    private static readonly ConcurrentDictionary<string, Shared> Cache = new(StringComparer.Ordinal);

    private Shared Entry => Cache.GetOrAdd(options.FeedUrl, _ => new Shared());

    /// <summary>The shared copy's status for the configured address (nothing fetched).</summary>
    public FeedStatus Status => options.FeedEnabled ? Entry.Status : new FeedStatus(null, null, null, null);

    /// <summary>
    /// The shared rates, fetched first when the copy is missing, older than the refresh interval, or
    /// <paramref name="force"/> is set. A failed fetch keeps the previous copy and records the error in the status.
    /// </summary>
    public async Task<FeedStatus> GetAsync(bool force, CancellationToken cancellationToken = default)
    {
        if (!options.FeedEnabled)
            return Status;
        var entry = Entry;
        var seen = entry.Status;
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            var status = entry.Status;
            var now = clock.GetUtcNow().UtcDateTime;
            // Someone else fetched while this caller waited: that answer is as fresh as a forced one.
            if (!ReferenceEquals(status, seen) && status.LastAttemptUtc is not null)
                return status;
            if (!force && status.Rates is not null && status.FetchedUtc is { } fetched && now - fetched < options.RefreshInterval)
                return status;
            try
            {
                var rates = EcbFeedParser.Parse(await FetchAsync(cancellationToken));
                entry.Status = new FeedStatus(rates, now, now, null);
            }
            catch (EcbFeedException e)
            {
                logger.LogInformation("ECB rate feed {Url} could not be used ({Error}): {Detail}; the last known rates stay in use",
                    options.FeedUrl, e.Error, e.Detail);
                entry.Status = status with { LastAttemptUtc = now, LastError = e.Error };
            }
            return entry.Status;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private async Task<byte[]> FetchAsync(CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(options.FeedUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            throw new EcbFeedException(EcbFeedError.Unreachable, "the feed address must be https (http only on loopback).");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TotalTimeout);
        try
        {
            var client = clients.CreateClient(ClientName);
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            if (!response.IsSuccessStatusCode)
                throw new EcbFeedException(EcbFeedError.Unreachable, $"the feed answered {(int)response.StatusCode}.");
            if (response.Content.Headers.ContentLength > EcbFeedParser.MaxBytes)
                throw new EcbFeedException(EcbFeedError.TooLarge, $"the feed announces {response.Content.Headers.ContentLength} bytes.");
            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, limit.Token)) > 0)
            {
                if (buffer.Length + read > EcbFeedParser.MaxBytes)
                    throw new EcbFeedException(EcbFeedError.TooLarge, $"the feed is larger than {EcbFeedParser.MaxBytes} bytes.");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested &&
            e is HttpRequestException or OperationCanceledException or Polly.ExecutionRejectedException or IOException)
        {
            throw new EcbFeedException(EcbFeedError.Unreachable, "the feed could not be reached: " + e.Message, e);
        }
    }
}
