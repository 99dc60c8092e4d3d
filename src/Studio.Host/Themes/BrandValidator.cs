using System.Text.RegularExpressions;
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

    /// <summary>Returns the problems found, one sentence each; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(BrandSettings brand)
    {
        var errors = new List<string>();
        if (brand.DisplayName.Length > 100)
            errors.Add("The brand name is longer than 100 characters.");
        if (brand.PrimaryColor is not null && !ColorRegex().IsMatch(brand.PrimaryColor))
            errors.Add("The primary colour must be written as #rrggbb.");
        if (brand.AccentColor is not null && !ColorRegex().IsMatch(brand.AccentColor))
            errors.Add("The accent colour must be written as #rrggbb.");
        if (brand.Font is not null && !Fonts.ContainsKey(brand.Font))
            errors.Add($"The font must be one of: {string.Join(", ", Fonts.Keys)}.");
        if (brand.LogoUrl is not null && !IsSafeUrl(brand.LogoUrl))
            errors.Add("The logo address must start with / or https://.");
        if (brand.FaviconUrl is not null && !IsSafeUrl(brand.FaviconUrl))
            errors.Add("The favicon address must start with / or https://.");
        if (brand.CustomCss is { } css)
        {
            if (css.Length > MaxCustomCssLength)
                errors.Add($"Custom CSS is longer than {MaxCustomCssLength} characters.");
            if (UnsafeCssRegex().IsMatch(css))
                errors.Add("Custom CSS may not contain markup, @import, expression(), behaviour bindings or script URLs.");
        }
        return errors;
    }

    private static bool IsSafeUrl(string url) =>
        url.Length <= 500 && !url.Any(c => char.IsControl(c) || c is '"' or '\'' or '(' or ')' or '\\' or '<' or '>' or ' ')
        && ((url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorRegex();

    [GeneratedRegex(@"<|>|@import|expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|\\", RegexOptions.IgnoreCase)]
    private static partial Regex UnsafeCssRegex();
}
