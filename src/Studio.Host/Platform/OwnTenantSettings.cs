using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Host.Modules;
using Studio.Host.Tenancy;
using Studio.Host.Themes;
using Studio.Localization;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Platform;

/// <summary>
/// <see cref="IOwnTenantSettings"/> of the tenant a container belongs to, over <see cref="TenantService"/>: the
/// update copies only display name, theme, brand, culture and time zone onto the stored record (hosts, features,
/// plan and state are never taken from the caller), so a studio owner cannot reach anything else. The host's
/// change notifier tells the tenant's observers: the audit trail records it once, by the request's signed-in user.
/// </summary>
public sealed class OwnTenantSettingsService(
    TenantContext tenant,
    TenantService tenants,
    ITenantStore store,
    FeatureCatalog catalog,
    IPlanInfo plan,
    IOptions<StudioOptions> options,
    Studio.Localization.ITranslationCatalog translations,
    IStringLocalizer<OwnTenantSettingsService> localizer) : IOwnTenantSettings
{
    public async Task<OwnTenantSettingsInfo> GetAsync(CancellationToken cancellationToken = default)
    {
        var record = await store.FindAsync(tenant.Name, cancellationToken)
            ?? throw new InvalidOperationException($"The tenant '{tenant.Name}' has no record.");
        return await ToInfoAsync(record, cancellationToken);
    }

    public async Task<OwnTenantSettingsInfo> UpdateAsync(OwnTenantSettingsEdit edit, string expectedVersion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var themes = await ThemesAsync(cancellationToken);
        var displayName = edit.DisplayName.Trim();
        var errors = new List<string>();
        if (displayName.Length == 0)
            errors.Add(localizer["The studio name is required."]);
        else if (displayName.Length > 100)
            errors.Add(localizer["The studio name is longer than 100 characters."]);
        if (!themes.Any(t => string.Equals(t.Id, edit.Theme, StringComparison.Ordinal)))
            errors.Add(localizer["There is no theme '{0}' for your plan. Choose one of: {1}.", edit.Theme, string.Join(", ", themes.Select(t => t.Name))]);
        if (!TenantCultures.IsAllowed(edit.Culture))
            errors.Add(localizer["'{0}' is not a language the studio can use.", edit.Culture]);
        if (string.IsNullOrWhiteSpace(edit.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(edit.TimeZone, out var zone) || !zone.HasIanaId)
            errors.Add(localizer["'{0}' is not a known time zone (use an IANA name such as Europe/Paris).", edit.TimeZone]);
        errors.AddRange(BrandErrors(edit.Brand));
        if (errors.Count > 0)
            throw new PlatformValidationException(errors);

        var culture = TenantCultures.All.First(c => string.Equals(c, edit.Culture, StringComparison.OrdinalIgnoreCase));
        try
        {
            var saved = await tenants.UpdateAsync(tenant.Name, expectedVersion, t => t with
            {
                DisplayName = displayName,
                Theme = edit.Theme,
                Brand = edit.Brand,
                Culture = culture,
                TimeZone = edit.TimeZone,
            }, cancellationToken);
            return await ToInfoAsync(saved, cancellationToken);
        }
        catch (TenantConcurrencyException)
        {
            throw new PlatformConcurrencyException(localizer["The settings were changed meanwhile by someone else. Reload the page to see them, then make your change again."]);
        }
        catch (TenantValidationException e)
        {
            throw new PlatformValidationException(e.Errors);
        }
    }

    public async Task<OwnTenantSettingsInfo> UpdateLocalizationAsync(LocalizationSettings localization, string expectedVersion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(localization);
        var record = await store.FindAsync(tenant.Name, cancellationToken)
            ?? throw new InvalidOperationException($"The tenant '{tenant.Name}' has no record.");
        var (normalized, errors) = LocalizationRules.Check(localization, record.Culture, translations, localizer);
        if (errors.Count > 0)
            throw new PlatformValidationException(errors);
        try
        {
            var saved = await tenants.UpdateAsync(tenant.Name, expectedVersion,
                t => t with { SettingsJson = LocalizationRules.Write(t.SettingsJson, normalized) }, cancellationToken);
            return await ToInfoAsync(saved, cancellationToken);
        }
        catch (TenantConcurrencyException)
        {
            throw new PlatformConcurrencyException(localizer["The settings were changed meanwhile by someone else. Reload the page to see them, then make your change again."]);
        }
        catch (TenantValidationException e)
        {
            throw new PlatformValidationException(e.Errors);
        }
    }

    // The brand validator's rules, with the owner's wording (localized).
    private IEnumerable<string> BrandErrors(BrandSettings brand)
    {
        if (BrandValidator.Validate(brand).Count == 0)
            yield break;
        if (brand.DisplayName.Length > 100)
            yield return localizer["The brand name is longer than 100 characters."];
        if (!IsColor(brand.PrimaryColor))
            yield return localizer["The primary colour must be written as #rrggbb (for example #1a2b3c)."];
        if (!IsColor(brand.AccentColor))
            yield return localizer["The accent colour must be written as #rrggbb (for example #1a2b3c)."];
        if (brand.Font is not null && !BrandValidator.Fonts.ContainsKey(brand.Font))
            yield return localizer["The font must be one of: {0}.", string.Join(", ", BrandValidator.Fonts.Keys)];
        if (BrandValidator.Validate(brand with { DisplayName = "", PrimaryColor = null, AccentColor = null, Font = null, CustomCss = null }).Count > 0)
            yield return localizer["The logo and favicon addresses must start with / or https://."];
        if (brand.CustomCss is { } css && BrandValidator.Validate(new BrandSettings { CustomCss = css }).Count > 0)
            yield return localizer["Custom CSS may not be longer than {0} characters nor contain markup, @import, expression(), behaviour bindings or script URLs.", BrandValidator.MaxCustomCssLength];
    }

    private static bool IsColor(string? value) =>
        value is null || BrandValidator.Validate(new BrandSettings { PrimaryColor = value }).Count == 0;

    private async Task<IReadOnlyList<ThemeChoice>> ThemesAsync(CancellationToken cancellationToken)
    {
        var info = await plan.GetAsync(cancellationToken);
        return catalog.Themes.Where(t => info is null || info.AllowsTheme(t.Id))
            .Select(t => new ThemeChoice(t.Id, t.Name, t.Description)).ToList();
    }

    private async Task<OwnTenantSettingsInfo> ToInfoAsync(TenantRecord record, CancellationToken cancellationToken) => new()
    {
        Name = record.Name,
        DisplayName = record.DisplayName,
        Theme = record.Theme ?? options.Value.DefaultTheme,
        Brand = record.Brand,
        Culture = record.Culture,
        TimeZone = record.TimeZone,
        Localization = LocalizationRules.Read(record.SettingsJson),
        Themes = await ThemesAsync(cancellationToken),
        Version = record.Version,
    };
}
