namespace Studio.Localization;

/// <summary>
/// The platform's translations, read-only: what a tenant's wording page lists and searches. Keys are the English
/// texts; every key is translated into every language of <see cref="StudioLanguages"/>.
/// </summary>
public interface ITranslationCatalog
{
    /// <summary>Every key, in ordinal order.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>True when <paramref name="key"/> is a text of the platform.</summary>
    bool Contains(string key);

    /// <summary>The platform's text for <paramref name="key"/> in <paramref name="language"/> (English: the key itself).</summary>
    string Translate(string key, string language);
}
