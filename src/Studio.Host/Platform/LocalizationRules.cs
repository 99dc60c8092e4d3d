using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Studio.Localization;

namespace Studio.Host.Platform;

/// <summary>
/// Checks and stores a tenant's language settings (the <c>Localization</c> section of its settings): offered
/// languages must include the tenant's default one, and each of its own texts must replace a text the platform has,
/// in a supported language, keeping to the original's placeholders — a replacement that would break formatting is
/// refused when saved, never discovered on a page.
/// </summary>
internal static partial class LocalizationRules
{
    /// <summary>The section as stored in <paramref name="settingsJson"/>.</summary>
    public static LocalizationSettings Read(string settingsJson) => LocalizationSettings.From(
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(settingsJson))).Build());

    /// <summary>The settings cleaned up (codes normalised, blank texts dropped), with every problem found.</summary>
    public static (LocalizationSettings Settings, List<string> Errors) Check(LocalizationSettings input, string tenantCulture,
        ITranslationCatalog catalog, IStringLocalizer localizer)
    {
        var errors = new List<string>();
        var languages = new List<string>();
        foreach (var code in input.Languages.Where(c => !string.IsNullOrWhiteSpace(c)))
        {
            if (StudioLanguages.Find(code.Trim()) is { } language)
            {
                if (!languages.Contains(language.Code))
                    languages.Add(language.Code);
            }
            else
            {
                errors.Add(localizer["'{0}' is not a language the studio can use.", code]);
            }
        }
        // None listed means all six (and any added later); the settings page refuses a form with none ticked.
        if (languages.Count > 0 && StudioLanguages.Of(CultureInfo.GetCultureInfo(tenantCulture)) is { } main && !languages.Contains(main.Code))
            errors.Add(localizer["The studio's default language ({0}) must be one of the languages offered.", main.NativeName]);

        var texts = new Dictionary<string, List<TextOverride>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, overrides) in input.Texts)
        {
            if (StudioLanguages.Find(code) is not { } language)
            {
                errors.Add(localizer["'{0}' is not a language the studio can use.", code]);
                continue;
            }
            var kept = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in overrides.Where(o => !string.IsNullOrWhiteSpace(o.Text)))
            {
                var text = item.Text.Trim();
                if (!catalog.Contains(item.Key))
                    errors.Add(localizer["\"{0}\" is not a text of the platform.", Shorten(item.Key)]);
                else if (text.Length > LocalizationSettings.MaxOverrideLength)
                    errors.Add(localizer["The text replacing \"{0}\" is longer than {1} characters.", Shorten(item.Key), LocalizationSettings.MaxOverrideLength]);
                else if (!KeepsMarkup(item.Key, text))
                    errors.Add(localizer["The text replacing \"{0}\" may not contain markup (< or >) other than the original's.", Shorten(item.Key)]);
                else if (!KeepsPlaceholders(item.Key, text))
                    errors.Add(localizer["The text replacing \"{0}\" may only use the placeholders of the original ({1}); write a brace as {{{{ or }}}}.",
                        Shorten(item.Key), string.Join(" ", Placeholders(item.Key).Select(i => "{" + i + "}")) is { Length: > 0 } list ? list : "—"]);
                else
                    kept[item.Key] = text;
            }
            if (kept.Count > 0)
                texts[language.Code] = kept.Select(p => new TextOverride { Key = p.Key, Text = p.Value }).ToList();
        }
        return (new LocalizationSettings { Languages = languages, PreferBrowserLanguage = input.PreferBrowserLanguage, Texts = texts }, errors);
    }

    /// <summary><paramref name="settingsJson"/> with its <c>Localization</c> section replaced; every other section kept as stored.</summary>
    public static string Write(string settingsJson, LocalizationSettings settings)
    {
        var root = JsonNode.Parse(string.IsNullOrWhiteSpace(settingsJson) ? "{}" : settingsJson) as JsonObject ?? [];
        root[LocalizationSettings.Section] = JsonSerializer.SerializeToNode(settings);
        return root.ToJsonString();
    }

    // Pages show translated text as HTML (translations are trusted, written by the platform); a tenant's own text is
    // not, so it may carry no markup of its own — only exactly the tags of the original, in order (an e-mail line's link).
    private static bool KeepsMarkup(string key, string text) =>
        Tag().Matches(key).Select(m => m.Value).SequenceEqual(Tag().Matches(text).Select(m => m.Value))
        && Tag().Replace(text, "").IndexOfAny(['<', '>']) < 0;

    private static bool KeepsPlaceholders(string key, string text)
    {
        var allowed = Placeholders(key).ToHashSet();
        if (Placeholders(text).Any(i => !allowed.Contains(i)))
            return false;
        try
        {
            _ = string.Format(CultureInfo.InvariantCulture, text, Enumerable.Repeat<object?>("x", allowed.Count == 0 ? 0 : allowed.Max() + 1).ToArray());
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static IEnumerable<int> Placeholders(string text) =>
        Placeholder().Matches(text.Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal))
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order();

    private static string Shorten(string key) => key.Length <= 60 ? key : key[..57] + "…";

    [GeneratedRegex(@"\{(\d{1,2})(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("<[^<>]*>")]
    private static partial Regex Tag();
}
