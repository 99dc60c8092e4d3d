using AngleSharp.Css.Dom;
using Ganss.Xss;
using Studio.Security;

namespace Studio.Host.Security;

/// <summary>
/// <see cref="IContentSanitizer"/> over HtmlSanitizer (which parses like a browser, with AngleSharp): an allow-list
/// policy for rich text, and its style-sheet path for custom CSS. One instance serves every tenant: the policies
/// are fixed at construction, and sanitizing is safe to run concurrently.
/// </summary>
public sealed class ContentSanitizer : IContentSanitizer
{
    private static readonly string[] Schemes = ["http", "https", "mailto", "tel"];

    // Active content and anything that submits or embeds: never in tenant-authored rich text.
    private static readonly string[] RemovedTags =
        ["form", "input", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend", "label", "datalist", "output", "meter", "progress"];

    private readonly HtmlSanitizer _html;
    private readonly HtmlSanitizer _css;

    public ContentSanitizer()
    {
        _html = new HtmlSanitizer();
        foreach (var tag in RemovedTags)
            _html.AllowedTags.Remove(tag);
        _html.AllowedSchemes.Clear();
        foreach (var scheme in Schemes)
            _html.AllowedSchemes.Add(scheme);
        _html.AllowDataAttributes = false;
        _html.AllowedAttributes.Remove("formaction");
        _html.AllowedAttributes.Remove("action");

        // A document with a style element as its only allowed content: HtmlSanitizer parses the sheet and drops
        // at-rules, properties and values that are not allowed (@import, expression(), script URLs, bindings).
        _css = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "html", "head", "body", "style" },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(HtmlSanitizerDefaults.AllowedCssProperties, StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<CssRuleType> { CssRuleType.Style, CssRuleType.Media, CssRuleType.Supports, CssRuleType.Keyframes, CssRuleType.Keyframe },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "https" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        })
        {
            AllowCssCustomProperties = true,
        };
        _css.AllowedCssProperties.Remove("behavior");
        _css.AllowedCssProperties.Remove("-moz-binding");
    }

    /// <inheritdoc />
    public string SanitizeHtml(string html) => string.IsNullOrEmpty(html) ? "" : _html.Sanitize(html);

    /// <inheritdoc />
    public string SanitizeCss(string css)
    {
        if (string.IsNullOrWhiteSpace(css))
            return "";
        // Parsed as the content of a style element, as a browser would: "</style>" ends it there, and whatever
        // follows (a script, markup) is outside the sheet and dropped with the rest of the document.
        using var document = _css.SanitizeDom("<!DOCTYPE html><html><head><style>" + css + "</style></head><body></body></html>");
        var sheet = string.Concat(document.QuerySelectorAll("style").Select(s => s.TextContent)).Trim();
        // Nothing in a valid sheet needs "<" outside strings; escaped, the result can never close a style element.
        return sheet.Replace("<", "\\3c ", StringComparison.Ordinal);
    }
}
