using Studio.Currencies;

namespace Studio.Modules.Currencies.Services;

/// <summary>A rate the owner set: 1 unit of the base currency = <paramref name="Rate"/> units of the other one.</summary>
public sealed record ManualRate(string Currency, decimal Rate, DateTime SetUtc, string SetBy);

/// <summary>What a conversion can use: the tenant's base currency, its last known ECB rates and its manual rates.</summary>
/// <param name="BaseCurrency">The tenant's base currency (manual rates are relative to it).</param>
/// <param name="Ecb">The last known ECB rates, or null when none are known yet.</param>
/// <param name="Manual">Manual rates by currency code.</param>
public sealed record RateSnapshot(string BaseCurrency, EcbRates? Ecb, IReadOnlyDictionary<string, ManualRate> Manual);

/// <summary>The outcome of a conversion.</summary>
/// <param name="Result">The converted amount, rounded to the target's minor unit.</param>
/// <param name="Rate">Units of the target per unit of the source.</param>
/// <param name="RateDate">The ECB publication date, or the UTC day the manual rate was set.</param>
/// <param name="Source">ECB or manual.</param>
public sealed record Conversion(Money Result, decimal Rate, DateOnly RateDate, RateSource Source);

/// <summary>
/// Converts money with a <see cref="RateSnapshot"/>. A manual rate between the base currency and the target wins
/// (used inverted from the target back to the base); otherwise the ECB euro rates: EUR→X multiplies by X's rate,
/// X→EUR divides by it, X→Y (neither the euro) goes through the euro: amount × rate(Y) ÷ rate(X). The result is
/// rounded to the target's minor unit (<see cref="Money.Round"/>: half away from zero). All in decimal.
/// </summary>
public static class CurrencyConverter
{
    /// <summary>
    /// <paramref name="amount"/> in <paramref name="target"/>; null when it already is in it or no rate covers the pair.
    /// </summary>
    public static Conversion? Convert(Money amount, string target, RateSnapshot rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        target = Currency.Of(target).Code;
        var source = amount.Currency;
        if (source == target)
            return null;

        if (source == rates.BaseCurrency && rates.Manual.TryGetValue(target, out var manual) && manual.Rate > 0m)
            return new Conversion(new Money(amount.Amount * manual.Rate, target).Round(), manual.Rate, DateOnly.FromDateTime(manual.SetUtc), RateSource.Manual);
        if (target == rates.BaseCurrency && rates.Manual.TryGetValue(source, out var inverse) && inverse.Rate > 0m)
            return new Conversion(new Money(amount.Amount / inverse.Rate, target).Round(), 1m / inverse.Rate, DateOnly.FromDateTime(inverse.SetUtc), RateSource.Manual);

        if (rates.Ecb is not { } ecb || ecb.PerEuroOf(source) is not { } sourcePerEuro || ecb.PerEuroOf(target) is not { } targetPerEuro)
            return null;
        // Multiply first, divide last: the fewest digits lost (decimal keeps 28–29 significant digits).
        var converted = amount.Amount * targetPerEuro / sourcePerEuro;
        return new Conversion(new Money(converted, target).Round(), targetPerEuro / sourcePerEuro, ecb.Date, RateSource.Ecb);
    }
}
