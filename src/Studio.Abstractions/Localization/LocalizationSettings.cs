using Microsoft.Extensions.Configuration;

namespace Studio.Localization;

/// <summary>
/// A tenant's language settings, from the <c>Localization</c> section of its settings: which languages it offers,
/// whether a visitor's browser language wins over the tenant's default, and its own wording per language.
/// </summary>
public sealed class LocalizationSettings
{
    /// <summary>Section of a tenant's settings.</summary>
    public const string Section = "Localization";

    /// <summary>Longest replacement text a tenant may set for one string.</summary>
    public const int MaxOverrideLength = 2000;

    /// <summary>Codes of the offered languages (<see cref="StudioLanguages"/>); empty: all of them.</summary>
    public List<string> Languages { get; set; } = [];

    /// <summary>
    /// False (the default): a visitor without a choice of their own sees the tenant's default language.
    /// True: the browser's <c>Accept-Language</c> is honoured first, among the offered languages.
    /// </summary>
    public bool PreferBrowserLanguage { get; set; }

    /// <summary>The tenant's own wording: language code → English text → the tenant's text in that language.</summary>
    public Dictionary<string, List<TextOverride>> Texts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The offered languages, in the platform's order (all six when the tenant lists none or none valid).</summary>
    public IReadOnlyList<StudioLanguage> OfferedLanguages()
    {
        var offered = StudioLanguages.All.Where(l => Languages.Contains(l.Code, StringComparer.OrdinalIgnoreCase)).ToList();
        return offered.Count > 0 ? offered : StudioLanguages.All;
    }

    /// <summary>Reads the section from a tenant's settings.</summary>
    public static LocalizationSettings From(IConfiguration tenantSettings)
    {
        var settings = new LocalizationSettings();
        tenantSettings.GetSection(Section).Bind(settings);
        return settings;
    }
}

/// <summary>A tenant's replacement for one string in one language.</summary>
public sealed class TextOverride
{
    /// <summary>The English text (the translation key) being replaced.</summary>
    public string Key { get; set; } = "";

    /// <summary>What the tenant shows instead; may use the same <c>{0}</c> placeholders as the original.</summary>
    public string Text { get; set; } = "";
}
