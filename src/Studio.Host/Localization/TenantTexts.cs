using System.Collections.Frozen;
using System.Globalization;
using Studio.Localization;

namespace Studio.Host.Localization;

/// <summary>
/// A tenant's own wording ("Studio" where the platform says "Room"), per language, read from its settings when the
/// tenant activates: a change saves the tenant record, which reloads the tenant — on every host instance.
/// </summary>
public sealed class TenantTexts
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;

    /// <summary>No wording of its own (the host, outside any tenant).</summary>
    public static readonly TenantTexts None = new(new LocalizationSettings());

    public TenantTexts(LocalizationSettings settings) =>
        _byLanguage = settings.Texts
            .Where(p => StudioLanguages.Find(p.Key) is not null)
            .ToFrozenDictionary(
                p => p.Key,
                p => p.Value.Where(t => t.Key.Length > 0 && t.Text.Length > 0)
                    .GroupBy(t => t.Key, StringComparer.Ordinal)
                    .ToFrozenDictionary(g => g.Key, g => g.Last().Text, StringComparer.Ordinal),
                StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant's text for <paramref name="key"/> in the culture's language, or null.</summary>
    public string? Find(CultureInfo culture, string key) =>
        _byLanguage.Count > 0 && _byLanguage.TryGetValue(culture.TwoLetterISOLanguageName, out var texts) && texts.TryGetValue(key, out var text)
            ? text
            : null;
}
