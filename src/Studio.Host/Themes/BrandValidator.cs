using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Studio.Localization;
using Studio.Tenancy;

namespace Studio.Host.Themes;

/// <summary>
/// Checks brand settings before they are stored, so that the brand stylesheet can be rendered from them
/// without any way to break out of CSS: colours are <c>#rrggbb</c>, fonts come from a fixed list, URLs are
/// site-relative or https, and custom CSS may not contain markup, imports, expressions or script URLs.
/// </summary>
public static partial class BrandValidator
{
    /// <summary>Font stacks a tenant may choose; the key is what is stored.</summary>
    public static readonly IReadOnlyDictionary<string, string> Fonts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["system"] = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        ["serif"] = "Georgia, 'Times New Roman', serif",
        ["humanist"] = "'Gill Sans', 'Gill Sans MT', Calibri, sans-serif",
        ["mono"] = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
        ["rounded"] = "ui-rounded, 'Hiragino Maru Gothic ProN', Quicksand, Comfortaa, sans-serif",
    };

    /// <summary>Maximum length of custom CSS.</summary>
    public const int MaxCustomCssLength = 20_000;

    /// <summary>Returns the problems found, one English sentence each; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(BrandSettings brand) =>
        Problems(brand).Select(p => string.Format(CultureInfo.InvariantCulture, p.Text, p.Arguments)).ToList();

    /// <summary>Returns the problems found, one sentence each in the current UI language; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(BrandSettings brand, IStringLocalizer localizer) =>
        Problems(brand).Select(p => localizer[p.Text, p.Arguments].Value).ToList();

    // English text of each problem (the translation key) with its arguments.
    private static IEnumerable<(string Text, object[] Arguments)> Problems(BrandSettings brand)
    {
        if (brand.DisplayName.Length > 100)
            yield return (Localizable.Text("The brand name is longer than 100 characters."), []);
        if (brand.PrimaryColor is not null && !ColorRegex().IsMatch(brand.PrimaryColor))
            yield return (Localizable.Text("The primary colour must be written as #rrggbb."), []);
        if (brand.AccentColor is not null && !ColorRegex().IsMatch(brand.AccentColor))
            yield return (Localizable.Text("The accent colour must be written as #rrggbb."), []);
        if (brand.Font is not null && !Fonts.ContainsKey(brand.Font))
            yield return (Localizable.Text("The font must be one of: {0}."), [string.Join(", ", Fonts.Keys)]);
        if (brand.LogoUrl is not null && !IsSafeUrl(brand.LogoUrl))
            yield return (Localizable.Text("The logo address must start with / or https://."), []);
        if (brand.FaviconUrl is not null && !IsSafeUrl(brand.FaviconUrl))
            yield return (Localizable.Text("The favicon address must start with / or https://."), []);
        if (brand.CustomCss is { } css)
        {
            if (css.Length > MaxCustomCssLength)
                yield return (Localizable.Text("Custom CSS is longer than {0} characters."), [MaxCustomCssLength]);
            if (UnsafeCssRegex().IsMatch(css))
                yield return (Localizable.Text("Custom CSS may not contain markup, @import, expression(), behaviour bindings or script URLs."), []);
        }
    }

    private static bool IsSafeUrl(string url) =>
        url.Length <= 500 && !url.Any(c => char.IsControl(c) || c is '"' or '\'' or '(' or ')' or '\\' or '<' or '>' or ' ')
        && ((url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorRegex();

    [GeneratedRegex(@"<|>|@import|expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|\\", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeCssRegex();
}
