using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using Studio.Localization;

namespace Studio.Host.Localization;

/// <summary>
/// Every translation of the platform, read once at start-up from the PO files each project embeds
/// (<c>Localization/fr.po</c> … compiled in as <c>Studio.Localization.fr.po</c>). The catalogues of all modules,
/// themes and the host are merged per language: English text is the key, so a phrase reads the same everywhere.
/// </summary>
public sealed class Translations : ITranslationCatalog
{
    /// <summary>Resource name prefix of the embedded PO files (see Directory.Build.props).</summary>
    public const string ResourcePrefix = "Studio.Localization.";

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _byLanguage;
    private readonly Lazy<(IReadOnlyList<string> List, FrozenSet<string> Set)> _keys;

    /// <summary>Reads the catalogues of <paramref name="assemblies"/>.</summary>
    /// <exception cref="FormatException">A PO file is malformed (names the assembly, file and line).</exception>
    public Translations(IEnumerable<Assembly> assemblies)
    {
        var merged = StudioLanguages.All.Where(l => l.Code != StudioLanguages.English)
            .ToDictionary(l => l.Code, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in assemblies.Distinct())
        {
            foreach (var (language, catalog) in merged)
            {
                var resource = ResourcePrefix + language + ".po";
                using var stream = assembly.GetManifestResourceStream(resource);
                if (stream is null)
                    continue;
                using var reader = new StreamReader(stream);
                foreach (var (key, text) in PoCatalog.Parse(reader, assembly.GetName().Name + "/" + resource))
                    catalog.TryAdd(key, text); // the same key in two modules: the translation check requires them equal
            }
        }
        _byLanguage = merged.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase);
        _keys = new(() =>
        {
            var keys = _byLanguage.Values.SelectMany(c => c.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            return (keys, keys.ToFrozenSet(StringComparer.Ordinal));
        });
    }

    /// <summary>The catalogues of the platform's own projects (modules, themes, host, contracts).</summary>
    public static Translations FromProjectAssemblies(IEnumerable<Assembly> projectAssemblies) =>
        new(projectAssemblies.Append(typeof(Translations).Assembly).Append(typeof(Localizable).Assembly));

    /// <summary>
    /// The translation of <paramref name="key"/> for <paramref name="culture"/>, trying the culture's language
    /// (<c>fr-CH</c> → <c>fr</c>); null when there is none (English, or a missing translation).
    /// </summary>
    public string? Find(CultureInfo culture, string key) =>
        _byLanguage.TryGetValue(culture.TwoLetterISOLanguageName, out var catalog) && catalog.TryGetValue(key, out var text) ? text : null;

    /// <summary>Every key translated into <paramref name="language"/>, with its text.</summary>
    public IReadOnlyDictionary<string, string> Catalog(string language) =>
        _byLanguage.TryGetValue(language, out var catalog) ? catalog : FrozenDictionary<string, string>.Empty;

    /// <inheritdoc />
    public IReadOnlyList<string> Keys => _keys.Value.List;

    /// <inheritdoc />
    public bool Contains(string key) => _keys.Value.Set.Contains(key);

    /// <inheritdoc />
    public string Translate(string key, string language) =>
        _byLanguage.TryGetValue(language, out var catalog) && catalog.TryGetValue(key, out var text) ? text : key;
}
