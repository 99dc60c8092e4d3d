using Studio.Localization;

namespace Studio.Host.Localization;

/// <summary>
/// The languages a tenant offers and whether a visitor's browser language goes before its default: read once per
/// activation (a change to the settings reloads the tenant), not on every request that shows the picker.
/// </summary>
public sealed record TenantLanguages(IReadOnlyList<StudioLanguage> Offered, bool PreferBrowserLanguage)
{
    /// <summary>From the tenant's <c>Localization</c> settings.</summary>
    public static TenantLanguages From(LocalizationSettings settings) => new(settings.OfferedLanguages(), settings.PreferBrowserLanguage);
}
