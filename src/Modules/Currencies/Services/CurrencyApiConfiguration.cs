using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Platform;

namespace Studio.Modules.Currencies.Services;

/// <summary>
/// The management API's view of the tenant's currencies (<c>/api/v1/tenants/{name}/currencies</c>): the platform
/// operator (or the tenant's reseller) reads the settings and sets or removes manual rates, validated and audited like
/// the owner's page.
/// </summary>
public sealed class CurrencyApiConfiguration(CurrencyStore store, IStringLocalizer<CurrencyApiConfiguration> T) : ITenantCurrencyConfiguration
{
    public async Task<JsonNode> GetAsync(CancellationToken cancellationToken = default)
    {
        var settings = await store.GetSettingsAsync(cancellationToken);
        var rates = await store.GetRatesAsync(cancellationToken);
        var manual = await store.GetManualRatesAsync(cancellationToken);
        return new JsonObject
        {
            ["baseCurrency"] = settings.BaseCurrency,
            ["displayCurrencies"] = new JsonArray(settings.DisplayCurrencies.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["ecbRateDate"] = rates?.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["manualRates"] = new JsonArray(manual.Values.OrderBy(m => m.Currency, StringComparer.Ordinal).Select(m => (JsonNode)new JsonObject
            {
                ["currency"] = m.Currency,
                ["rate"] = m.Rate.ToString(CultureInfo.InvariantCulture),
                ["setUtc"] = m.SetUtc.ToString("O", CultureInfo.InvariantCulture),
                ["setBy"] = m.SetBy,
            }).ToArray()),
        };
    }

    public async Task<JsonNode> PutManualRateAsync(string currency, JsonElement body, AuditActor actor, CancellationToken cancellationToken = default)
    {
        // The rate is read as decimal straight from the JSON text (a number or a string), never through a double.
        decimal? rate = null;
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("rate", out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
                rate = number;
            else if (value.ValueKind == JsonValueKind.String
                && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var text))
                rate = text;
        }
        if (rate is null)
            throw new PlatformValidationException([T["Give the rate as a decimal number, e.g. 1.0825."]]);
        await RunAsync(() => store.SetManualRateAsync(currency, rate, actor, cancellationToken));
        return await GetAsync(cancellationToken);
    }

    public async Task<bool> DeleteManualRateAsync(string currency, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var code = (currency ?? "").Trim().ToUpperInvariant();
        if (!(await store.GetManualRatesAsync(cancellationToken)).ContainsKey(code))
            return false;
        await RunAsync(() => store.SetManualRateAsync(code, null, actor, cancellationToken));
        return true;
    }

    private static async Task RunAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (CurrencyValidationException e)
        {
            throw new PlatformValidationException(e.Errors.Select(error => error.Value).ToList());
        }
    }
}
