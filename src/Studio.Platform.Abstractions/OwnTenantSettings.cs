using Studio.Tenancy;

namespace Studio.Platform;

/// <summary>The cultures a tenant may choose as its default language (English, French, Spanish, German, Italian, Portuguese variants).</summary>
public static class TenantCultures
{
    public static readonly IReadOnlyList<string> All =
        ["en-US", "en-GB", "en-IE", "en-CA", "en-AU", "fr-FR", "fr-BE", "fr-CH", "fr-CA", "es-ES", "es-MX", "es-AR",
         "de-DE", "de-AT", "de-CH", "it-IT", "it-CH", "pt-PT", "pt-BR"];

    /// <summary>True when <paramref name="culture"/> is one of <see cref="All"/> (exact, case-insensitive).</summary>
    public static bool IsAllowed(string? culture) => culture is not null && All.Contains(culture, StringComparer.OrdinalIgnoreCase);
}

/// <summary>A theme a tenant may pick: installed, and allowed by its plan.</summary>
public sealed record ThemeChoice(string Id, string Name, string Description);

/// <summary>What a tenant's owner may see and change of its own tenant record.</summary>
public sealed record OwnTenantSettingsInfo
{
    public required string Name { get; init; }
    public string DisplayName { get; init; } = "";
    /// <summary>The active theme id (the platform default when the record names none).</summary>
    public string Theme { get; init; } = "";
    public BrandSettings Brand { get; init; } = new();
    public string Culture { get; init; } = "en-US";
    public string TimeZone { get; init; } = "UTC";
    /// <summary>Languages offered, browser preference and the tenant's own wording.</summary>
    public Studio.Localization.LocalizationSettings Localization { get; init; } = new();
    /// <summary>The themes the tenant may choose (installed ∩ allowed by its plan).</summary>
    public IReadOnlyList<ThemeChoice> Themes { get; init; } = [];
    /// <summary>Pass back to <see cref="IOwnTenantSettings.UpdateAsync"/>: a save over a newer version is refused.</summary>
    public string Version { get; init; } = "";
}

/// <summary>The owner's edit: every member is written (this is a whole form, not a patch).</summary>
public sealed record OwnTenantSettingsEdit
{
    public required string DisplayName { get; init; }
    public required string Theme { get; init; }
    public required BrandSettings Brand { get; init; }
    public required string Culture { get; init; }
    public required string TimeZone { get; init; }
}

/// <summary>
/// The current tenant's own settings — resolve from a tenant container; it is bound to that tenant and can
/// neither read nor write another. Only display name, theme, brand, culture and time zone can change (never
/// hosts, features, plan or state). Writes are validated (<see cref="PlatformValidationException"/>, localized,
/// nothing saved), version-checked (<see cref="PlatformConcurrencyException"/>), applied live, and audited once
/// in the tenant's own trail (by the host's tenant-change observer: the request's signed-in user is the actor).
/// </summary>
public interface IOwnTenantSettings
{
    Task<OwnTenantSettingsInfo> GetAsync(CancellationToken cancellationToken = default);

    Task<OwnTenantSettingsInfo> UpdateAsync(OwnTenantSettingsEdit edit, string expectedVersion,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the tenant's language settings as a whole: the languages it offers (the default language's among
    /// them), whether the browser's language goes first, and its own wording — each replacement a known text, at most
    /// <see cref="Studio.Localization.LocalizationSettings.MaxOverrideLength"/> characters, using only the
    /// placeholders of the original. Validated, version-checked and applied live like <see cref="UpdateAsync"/>.
    /// </summary>
    Task<OwnTenantSettingsInfo> UpdateLocalizationAsync(Studio.Localization.LocalizationSettings localization, string expectedVersion,
        CancellationToken cancellationToken = default);
}
