using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Audit;

namespace Studio.Platform;

/// <summary>
/// A tenant's currency settings and manual rates as JSON, for the management API (tenant container; implemented by the
/// Currencies module where "Studio.Currencies" is on). Bad input throws <see cref="PlatformValidationException"/>
/// (localized messages); every write is validated and audited by the module.
/// </summary>
public interface ITenantCurrencyConfiguration
{
    /// <summary>
    /// <c>{ baseCurrency, displayCurrencies, ecbRateDate, manualRates: [{ currency, rate, setUtc, setBy }] }</c>;
    /// a manual rate is "1 base unit = rate units of currency", as a decimal string.
    /// </summary>
    Task<JsonNode> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the manual rate of <paramref name="currency"/> from <c>{ "rate": "1.0825" }</c> (a string or a number).</summary>
    Task<JsonNode> PutManualRateAsync(string currency, JsonElement body, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>Removes the manual rate of <paramref name="currency"/>; false when there was none.</summary>
    Task<bool> DeleteManualRateAsync(string currency, AuditActor actor, CancellationToken cancellationToken = default);
}

/// <summary>
/// Runs work against a named tenant's <see cref="ITenantCurrencyConfiguration"/> in a scope of that tenant's own
/// container (host; access as <see cref="ITenantAdministration.GetAsync(PlatformActor,string,CancellationToken)"/>:
/// a reseller reaches only its tenants). A tenant without the Currencies feature (or not visible) throws
/// <see cref="PlatformForbiddenException"/>.
/// </summary>
public interface ITenantCurrencyAdministration
{
    Task<T> RunAsync<T>(PlatformActor actor, string tenant, Func<ITenantCurrencyConfiguration, Task<T>> work, CancellationToken cancellationToken = default);
}
