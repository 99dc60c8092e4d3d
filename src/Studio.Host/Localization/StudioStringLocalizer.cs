using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Studio.Host.Localization;

/// <summary>
/// Looks a string up for the current UI culture: the tenant's own wording for that language first, then the
/// platform's translation, else the English key itself. Formatting uses the current culture, so numbers and dates
/// passed as arguments follow the visitor's language and region.
/// </summary>
internal sealed class StudioStringLocalizer(Translations translations, TenantTexts texts) : IStringLocalizer
{
    public LocalizedString this[string name] => Lookup(name, arguments: null);

    public LocalizedString this[string name, params object[] arguments] => Lookup(name, arguments);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures)
    {
        var culture = CultureInfo.CurrentUICulture;
        return translations.Catalog(culture.TwoLetterISOLanguageName).Keys.Select(key => Lookup(key, arguments: null));
    }

    private LocalizedString Lookup(string name, object[]? arguments)
    {
        ArgumentNullException.ThrowIfNull(name);
        var culture = CultureInfo.CurrentUICulture;
        var translated = translations.Find(culture, name);
        var english = string.Equals(culture.TwoLetterISOLanguageName, Studio.Localization.StudioLanguages.English, StringComparison.OrdinalIgnoreCase);
        var text = texts.Find(culture, name) ?? translated ?? name;
        if (arguments is null || arguments.Length == 0)
            return new LocalizedString(name, text, resourceNotFound: translated is null && !english);
        try
        {
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text, arguments), resourceNotFound: translated is null && !english);
        }
        catch (FormatException)
        {
            // A tenant's wording is checked when saved; this guards a translation gone wrong all the same, by
            // falling back to the English text rather than failing the page.
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, name, arguments), resourceNotFound: true);
        }
    }
}

/// <summary>
/// Hands out <see cref="StudioStringLocalizer"/>s. One per tenant activation (it carries that tenant's own wording);
/// the host has one without any, for work outside a tenant. The type or view asking does not matter: keys are
/// English text, shared by the whole platform.
/// </summary>
public sealed class StudioStringLocalizerFactory(Translations translations, TenantTexts texts) : IStringLocalizerFactory
{
    private readonly StudioStringLocalizer _localizer = new(translations, texts);

    public IStringLocalizer Create(Type resourceSource) => _localizer;

    public IStringLocalizer Create(string baseName, string location) => _localizer;
}
