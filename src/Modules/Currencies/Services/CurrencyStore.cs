using System.Globalization;
using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Currencies;
using Studio.Data;

namespace Studio.Modules.Currencies.Services;

/// <summary>The tenant's currency settings: base currency and the currencies clients may view prices in.</summary>
/// <param name="BaseCurrency">Null until the owner saves the settings (Bookings then keeps its policy currency).</param>
/// <param name="DisplayCurrencies">Supported currencies other than the base one, in catalogue order.</param>
public sealed record CurrencySettings(string? BaseCurrency, IReadOnlyList<string> DisplayCurrencies);

/// <summary>Refused settings or rates; each message is localized and names its field.</summary>
public sealed class CurrencyValidationException(IReadOnlyList<KeyValuePair<string, string>> errors)
    : Exception(string.Join(" ", errors.Select(e => e.Value)))
{
    /// <summary>Field → localized message.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Errors { get; } = errors;
}

/// <summary>
/// Currency settings, last known ECB rates and manual rates in the current tenant's own database (no other tenant's
/// is reachable). Writes are validated first, run in one transaction and are audited.
/// </summary>
public sealed class CurrencyStore(ITenantDatabase database, TimeProvider clock, IAuditTrail audit, IStringLocalizer<CurrencyStore> T)
{
    /// <summary>Largest manual rate accepted (1 unit of the base currency in the other one).</summary>
    public const decimal MaxManualRate = 1_000_000m;

    /// <summary>Decimal places a manual rate may have.</summary>
    public const int ManualRateDecimals = 6;

    public async Task<CurrencySettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string BaseCurrency, string DisplayCurrencies)?>(new CommandDefinition(
            "SELECT base_currency, display_currencies FROM cur_settings WHERE id = 1", cancellationToken: cancellationToken));
        if (row is not { } r)
            return new CurrencySettings(null, []);
        var display = r.DisplayCurrencies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(c => Currency.IsSupported(c) && c != r.BaseCurrency).ToHashSet(StringComparer.Ordinal);
        return new CurrencySettings(r.BaseCurrency, Currency.SupportedCodes.Where(display.Contains).ToList());
    }

    /// <summary>
    /// Saves the base currency and the display currencies (the base one is dropped from them). Changing the base
    /// currency removes the manual rates: they were set relative to the old one.
    /// </summary>
    public async Task<CurrencySettings> SaveSettingsAsync(string? baseCurrency, IEnumerable<string>? displayCurrencies, AuditActor actor,
        CancellationToken cancellationToken = default)
    {
        var errors = new List<KeyValuePair<string, string>>();
        var code = (baseCurrency ?? "").Trim().ToUpperInvariant();
        if (!Currency.IsSupported(code))
            errors.Add(new("BaseCurrency", T["Choose a base currency among {0}.", string.Join(", ", Currency.SupportedCodes)]));
        var display = new List<string>();
        foreach (var raw in displayCurrencies ?? [])
        {
            var c = (raw ?? "").Trim().ToUpperInvariant();
            if (!Currency.IsSupported(c))
                errors.Add(new("DisplayCurrencies", T["'{0}' is not a supported currency.", raw ?? ""]));
            else if (c != code && !display.Contains(c))
                display.Add(c);
        }
        if (errors.Count > 0)
            throw new CurrencyValidationException(errors);
        display = Currency.SupportedCodes.Where(display.Contains).ToList();

        var before = await GetSettingsAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var args = new { code, display = string.Join(",", display), now };
            // An upsert: two first saves at once never collide on the key.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cur_settings (id, base_currency, display_currencies, updated_utc) VALUES (1, @code, @display, @now)
                ON CONFLICT (id) DO UPDATE SET base_currency = excluded.base_currency,
                    display_currencies = excluded.display_currencies, updated_utc = excluded.updated_utc
                """, args, transaction, cancellationToken: cancellationToken));
            if (before.BaseCurrency is not null && before.BaseCurrency != code)
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cur_manual_rates", transaction: transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        var after = new CurrencySettings(code, display);
        await audit.RecordAsync(new AuditRecord(actor, "currencies.settings.saved", "currencies:settings",
            Before: before.BaseCurrency is null ? null : new { baseCurrency = before.BaseCurrency, display = before.DisplayCurrencies },
            After: new { baseCurrency = code, display }), cancellationToken);
        return after;
    }

    /// <summary>The tenant's last known ECB rates (null when none was ever stored).</summary>
    public async Task<EcbRates?> GetRatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(string Currency, string Rate, string RateDate)>(new CommandDefinition(
            "SELECT currency, rate, rate_date FROM cur_rates", cancellationToken: cancellationToken))).ToList();
        if (rows.Count == 0)
            return null;
        var date = rows.Select(r => DateOnly.ParseExact(r.RateDate, "yyyy-MM-dd", CultureInfo.InvariantCulture)).Max();
        return new EcbRates(date, rows.ToDictionary(r => r.Currency, r => decimal.Parse(r.Rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), StringComparer.Ordinal));
    }

    /// <summary>
    /// Stores <paramref name="rates"/> as the tenant's last known rates unless it already has a later day; true when
    /// stored. Replaces the previous day's rates in one transaction.
    /// </summary>
    public async Task<bool> StoreRatesAsync(EcbRates rates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var now = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var day = rates.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var stored = await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(rate_date) FROM cur_rates", cancellationToken: cancellationToken));
        if (stored is not null && string.CompareOrdinal(stored, day) > 0)
            return false;
        // Writes only, each an upsert that never goes back in time: a refresh round and a "refresh now" running at
        // once (two connections) cannot collide on a key or leave an older day over a newer one.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (currency, rate) in rates.PerEuro)
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO cur_rates (currency, rate, rate_date, fetched_utc) VALUES (@currency, @rate, @day, @now)
                ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, rate_date = excluded.rate_date, fetched_utc = excluded.fetched_utc
                WHERE cur_rates.rate_date <= excluded.rate_date
                """,
                new { currency, rate = rate.ToString(CultureInfo.InvariantCulture), day, now }, transaction, cancellationToken: cancellationToken));
        // Currencies the newer day no longer lists.
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cur_rates WHERE rate_date < @day", new { day }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The manual rates by currency (each: 1 base unit = rate units of that currency).</summary>
    public async Task<IReadOnlyDictionary<string, ManualRate>> GetManualRatesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Currency, string Rate, string SetUtc, string SetBy)>(new CommandDefinition(
            "SELECT currency, rate, set_utc, set_by FROM cur_manual_rates", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Currency, r => new ManualRate(r.Currency,
            decimal.Parse(r.Rate, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
            DateTime.Parse(r.SetUtc, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), r.SetBy), StringComparer.Ordinal);
    }

    /// <summary>
    /// Sets (or, with a null <paramref name="rate"/>, removes) the manual rate of <paramref name="currency"/>:
    /// 1 unit of the base currency = <paramref name="rate"/> units of it. Needs a base currency first.
    /// </summary>
    public async Task SetManualRateAsync(string? currency, decimal? rate, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var settings = await GetSettingsAsync(cancellationToken);
        var code = (currency ?? "").Trim().ToUpperInvariant();
        var errors = new List<KeyValuePair<string, string>>();
        if (settings.BaseCurrency is null)
            errors.Add(new("BaseCurrency", T["Save a base currency before setting manual rates."]));
        else if (!Currency.IsSupported(code) || code == settings.BaseCurrency)
            errors.Add(new("Currency", T["Manual rates are for the supported currencies other than the base currency ({0}).", settings.BaseCurrency]));
        if (rate is { } r && (r <= 0m || r > MaxManualRate || decimal.Round(r, ManualRateDecimals) != r))
            errors.Add(new("Rate", T["A rate must be a positive number up to {0} with at most {1} decimals.", MaxManualRate.ToString("N0", CultureInfo.CurrentCulture), ManualRateDecimals]));
        if (errors.Count > 0)
            throw new CurrencyValidationException(errors);

        var before = (await GetManualRatesAsync(cancellationToken)).GetValueOrDefault(code);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (rate is { } value)
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO cur_manual_rates (currency, rate, set_utc, set_by) VALUES (@code, @rate, @now, @by)
                    ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, set_utc = excluded.set_utc, set_by = excluded.set_by
                    """,
                    new { code, rate = value.ToString(CultureInfo.InvariantCulture), now = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture), by = actor.Name },
                    transaction, cancellationToken: cancellationToken));
            else
                await connection.ExecuteAsync(new CommandDefinition("DELETE FROM cur_manual_rates WHERE currency = @code", new { code }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }
        await audit.RecordAsync(new AuditRecord(actor, rate is null ? "currencies.manual-rate.removed" : "currencies.manual-rate.set", "currencies:" + code,
            Before: before is null ? null : new { baseCurrency = settings.BaseCurrency, rate = before.Rate },
            After: rate is null ? null : new { baseCurrency = settings.BaseCurrency, rate }), cancellationToken);
    }

    /// <summary>Everything a conversion needs, or null while no base currency is set.</summary>
    public async Task<RateSnapshot?> SnapshotAsync(CancellationToken cancellationToken = default)
    {
        var settings = await GetSettingsAsync(cancellationToken);
        if (settings.BaseCurrency is null)
            return null;
        return new RateSnapshot(settings.BaseCurrency, await GetRatesAsync(cancellationToken), await GetManualRatesAsync(cancellationToken));
    }
}
