namespace Studio.Currencies;

/// <summary>The Currencies module's feature id and paths.</summary>
public static class CurrenciesFeature
{
    /// <summary>Feature id of the Currencies module.</summary>
    public const string Id = "Studio.Currencies";

    /// <summary>The owner's settings page (base currency, display currencies, manual rates).</summary>
    public const string SettingsPath = "/admin/currencies";

    /// <summary>Where the display-currency picker posts (fields <c>code</c> and <c>returnUrl</c>).</summary>
    public const string DisplayCurrencyPath = "/currency/display";
}

/// <summary>
/// The tenant's base currency: the one prices are set and charged in. Registered in the tenant container only where
/// the Currencies feature is enabled; a module that prices things resolves it optionally
/// (<c>IEnumerable&lt;IBaseCurrency&gt;</c> or <c>GetService</c>) and falls back to its own setting without it.
/// </summary>
public interface IBaseCurrency
{
    /// <summary>The base currency's ISO code, or null while the owner has not chosen one.</summary>
    Task<string?> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>Where a conversion rate comes from.</summary>
public enum RateSource
{
    /// <summary>The European Central Bank's daily euro reference rates (cross rates through the euro).</summary>
    Ecb,

    /// <summary>A rate the studio owner set by hand; it wins over the ECB rate.</summary>
    Manual,
}

/// <summary>
/// A price shown in the visitor's display currency: never charged, only indicative.
/// </summary>
/// <param name="Amount">The converted amount, rounded to the display currency's minor unit.</param>
/// <param name="RateDate">The date of the rate used (the ECB publication date, or the day a manual rate was set).</param>
/// <param name="Source">Where the rate comes from.</param>
/// <param name="IsApproximate">Always true for a converted price: invoices and charges stay in the base currency.</param>
/// <param name="Label">Ready to show, localized: e.g. "≈ $123.45 (rate of 24 Nov 2026)".</param>
public sealed record ApproximatePrice(Money Amount, DateOnly RateDate, RateSource Source, bool IsApproximate, string Label);

/// <summary>The display currencies a visitor may pick from on this tenant.</summary>
/// <param name="BaseCurrency">The tenant's base currency (first of <paramref name="Choices"/>).</param>
/// <param name="Current">The visitor's display currency (the base currency when none was picked).</param>
/// <param name="Choices">The base currency, then those the owner allows clients to view prices in.</param>
public sealed record DisplayCurrencyChoice(string BaseCurrency, string Current, IReadOnlyList<string> Choices);

/// <summary>
/// Approximate prices in the visitor's display currency (request scope of the tenant container; registered only
/// where the Currencies feature is enabled, so resolve it optionally). Results are cached for the request.
/// </summary>
public interface IDisplayPrices
{
    /// <summary>
    /// <paramref name="price"/> in the visitor's display currency, marked approximate with the rate's date; null when
    /// no conversion is needed (no display currency picked, or it is the price's own) or possible (no rate known).
    /// </summary>
    Task<ApproximatePrice?> ApproximateAsync(Money price, CancellationToken cancellationToken = default);

    /// <summary>The picker's choices; null when the tenant offers no display currency besides its base one.</summary>
    Task<DisplayCurrencyChoice?> GetChoiceAsync(CancellationToken cancellationToken = default);
}
