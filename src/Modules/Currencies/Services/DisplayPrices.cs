using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Studio.Currencies;

namespace Studio.Modules.Currencies.Services;

/// <summary>The tenant's base currency, from the Currencies settings.</summary>
public sealed class BaseCurrency(CurrencyStore store) : IBaseCurrency
{
    private string? _cached;
    private bool _loaded;

    public async Task<string?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!_loaded)
        {
            _cached = (await store.GetSettingsAsync(cancellationToken)).BaseCurrency;
            _loaded = true;
        }
        return _cached;
    }
}

/// <summary>
/// The visitor's display currency (cookie <see cref="CookieName"/>, scoped to the tenant's name and path) and approximate
/// prices in it. Settings and rates are read once per request.
/// </summary>
public sealed class DisplayPrices(CurrencyStore store, IHttpContextAccessor http, Studio.Tenancy.TenantContext tenant, IStringLocalizer<DisplayPrices> T) : IDisplayPrices
{
    /// <summary>
    /// The cookie remembering the visitor's display currency on a tenant (path: the tenant's prefix, or /). Its name
    /// carries the tenant's, so the root tenant's choice is never sent as a prefix tenant's on the same host.
    /// </summary>
    public static string CookieName(Studio.Tenancy.TenantContext tenant) => ".Studio.DisplayCurrency." + tenant.Name;

    private (CurrencySettings Settings, RateSnapshot? Rates)? _loaded;

    private async Task<(CurrencySettings Settings, RateSnapshot? Rates)> LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded is { } loaded)
            return loaded;
        var settings = await store.GetSettingsAsync(cancellationToken);
        var rates = settings.BaseCurrency is null || settings.DisplayCurrencies.Count == 0 ? null : await store.SnapshotAsync(cancellationToken);
        _loaded = (settings, rates);
        return _loaded.Value;
    }

    public async Task<DisplayCurrencyChoice?> GetChoiceAsync(CancellationToken cancellationToken = default)
    {
        var (settings, _) = await LoadAsync(cancellationToken);
        if (settings.BaseCurrency is not { } baseCurrency || settings.DisplayCurrencies.Count == 0)
            return null;
        var picked = http.HttpContext?.Request.Cookies[CookieName(tenant)]?.Trim().ToUpperInvariant();
        var current = picked is not null && settings.DisplayCurrencies.Contains(picked) ? picked : baseCurrency;
        return new DisplayCurrencyChoice(baseCurrency, current, [baseCurrency, .. settings.DisplayCurrencies]);
    }

    public async Task<ApproximatePrice?> ApproximateAsync(Money price, CancellationToken cancellationToken = default)
    {
        var choice = await GetChoiceAsync(cancellationToken);
        if (choice is null || choice.Current == price.Currency)
            return null;
        var (_, rates) = await LoadAsync(cancellationToken);
        if (rates is null || CurrencyConverter.Convert(price, choice.Current, rates) is not { } conversion)
            return null;
        var date = Studio.Localization.DateFormats.WithoutWeekday(conversion.RateDate);
        var label = conversion.Source == RateSource.Manual
            ? T["≈ {0} (manual rate of {1})", conversion.Result, date].Value
            : T["≈ {0} (rate of {1})", conversion.Result, date].Value;
        return new ApproximatePrice(conversion.Result, conversion.RateDate, conversion.Source, IsApproximate: true, label);
    }
}
