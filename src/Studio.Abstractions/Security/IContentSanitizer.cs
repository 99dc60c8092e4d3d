namespace Studio.Security;

/// <summary>
/// Cleans content that tenants author and the platform renders to others: rich text (email templates, pages)
/// and custom CSS. Apply it both when such content is saved and when it is rendered — a record written by an older
/// version, or edited in the database, must not inject script. Resolve it from any container (a host singleton).
/// </summary>
public interface IContentSanitizer
{
    /// <summary>
    /// Rich text HTML with everything that can run script removed: no <c>script</c>, <c>iframe</c>, <c>object</c>,
    /// forms or <c>svg</c>; no <c>on…</c> handlers; links and sources limited to http(s), mailto, tel and relative
    /// addresses; inline styles filtered like <see cref="SanitizeCss"/>.
    /// </summary>
    string SanitizeHtml(string html);

    /// <summary>
    /// A stylesheet with what can load script or foreign content removed: <c>@import</c>, <c>expression()</c>,
    /// <c>behavior</c>/<c>-moz-binding</c>, <c>javascript:</c>/<c>data:</c> URLs; any <c>&lt;</c> is escaped so
    /// the result can never close a <c>style</c> element.
    /// </summary>
    string SanitizeCss(string css);
}
