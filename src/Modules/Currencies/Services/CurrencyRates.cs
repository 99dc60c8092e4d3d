using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Tenancy;

namespace Studio.Modules.Currencies.Services;

/// <summary>The outcome of a refresh for one tenant.</summary>
/// <param name="Stored">The tenant's last known rates after the refresh (null: none known yet).</param>
/// <param name="Error">Why the feed could not be used this time, or null.</param>
/// <param name="LastAttemptUtc">When the feed was last tried (shared by all tenants), or null.</param>
public sealed record RefreshResult(EcbRates? Stored, EcbFeedError? Error, DateTime? LastAttemptUtc);

/// <summary>
/// Refreshes the tenant's stored rates from the shared feed copy (<see cref="EcbRateFeed"/>): a newer day is
/// stored in the tenant's database; when the feed is unreachable or malformed the stored rates stay as they are.
/// </summary>
public sealed class CurrencyRates(EcbRateFeed feed, CurrencyStore store)
{
    /// <summary>
    /// Brings the tenant's rates up to the shared copy, fetching first when it is stale (or <paramref name="force"/>).
    /// </summary>
    public async Task<RefreshResult> RefreshAsync(bool force, CancellationToken cancellationToken = default)
    {
        var status = await feed.GetAsync(force, cancellationToken);
        if (status.Rates is { } rates)
            await store.StoreRatesAsync(rates, cancellationToken);
        return new RefreshResult(await store.GetRatesAsync(cancellationToken), status.LastError, status.LastAttemptUtc);
    }

    /// <summary>The feed's last error (shared copy), or null.</summary>
    public EcbFeedError? LastError => feed.Status.LastError;

    /// <summary>When the feed was last tried, or null.</summary>
    public DateTime? LastAttemptUtc => feed.Status.LastAttemptUtc;
}

/// <summary>
/// Keeps the tenant's rates current while it is active: a round at activation (served by the shared copy when it is
/// fresh, so activating many tenants fetches once), then every <see cref="CurrencyOptions.RefreshInterval"/>.
/// Off when no feed address is configured.
/// </summary>
public sealed class RateRefresher(IServiceProvider services, CurrencyOptions options, TimeProvider clock, ILogger<RateRefresher> logger)
    : TenantBackgroundLoop(clock, logger)
{
    protected override TimeSpan Interval => options.RefreshInterval;

    protected override string RoundName => "Currency rate refresh";

    public override bool Enabled => options.FeedEnabled && base.Enabled;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CurrencyRates>().RefreshAsync(force: false, cancellationToken);
    }
}
