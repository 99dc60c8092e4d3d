using System.Globalization;

namespace Studio.Localization;

/// <summary>One of the languages the platform is translated into.</summary>
/// <param name="Code">Two-letter ISO 639-1 code, the name of its translation files (<c>fr.po</c>).</param>
/// <param name="NativeName">The language's name in itself, as a language picker shows it (never translated).</param>
/// <param name="DefaultCulture">The culture used for dates and numbers when only the language is known.</param>
public sealed record StudioLanguage(string Code, string NativeName, string DefaultCulture);

/// <summary>The six languages of the platform. English is the source language: its text is the translation key.</summary>
public static class StudioLanguages
{
    /// <summary>The source language.</summary>
    public const string English = "en";

    /// <summary>Every supported language, English first.</summary>
    public static readonly IReadOnlyList<StudioLanguage> All =
    [
        new("en", "English", "en-US"),
        new("fr", "Français", "fr-FR"),
        new("es", "Español", "es-ES"),
        new("de", "Deutsch", "de-DE"),
        new("it", "Italiano", "it-IT"),
        new("pt", "Português", "pt-PT"),
    ];

    /// <summary>The language with this code, or null.</summary>
    public static StudioLanguage? Find(string? code) =>
        All.FirstOrDefault(l => string.Equals(l.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>The supported language of a culture (<c>fr-CH</c> → French), or null when it has none.</summary>
    public static StudioLanguage? Of(CultureInfo culture) => Find(culture.TwoLetterISOLanguageName);

    /// <summary>
    /// The culture to format with when a visitor picks <paramref name="language"/>: the tenant's own culture when
    /// it is of that language (a Swiss studio's French stays <c>fr-CH</c>), else the language's default culture.
    /// </summary>
    public static CultureInfo CultureFor(StudioLanguage language, string tenantCulture)
    {
        var tenant = CultureInfo.GetCultureInfo(tenantCulture);
        return string.Equals(tenant.TwoLetterISOLanguageName, language.Code, StringComparison.OrdinalIgnoreCase)
            ? tenant
            : CultureInfo.GetCultureInfo(language.DefaultCulture);
    }
}
