using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
using Studio.Localization;

namespace Studio.Host.Tenancy;

/// <summary>
/// The plain pages the host answers with when no tenant can serve a request: unknown host (404), tenant
/// disabled (503), tenant being set up (503 + Retry-After). They carry no tenant's branding or content. No tenant
/// decides their language either: it is the browser's (<c>Accept-Language</c>) among the platform's languages,
/// else English.
/// </summary>
public sealed class StatusPages(IStringLocalizer<StatusPages> localizer)
{
    // Every script as it is (the page is UTF-8): only markup characters are escaped, so "ú" stays readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>An unknown host name: a plain 404, never another tenant's content.</summary>
    public Task UnknownHostAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound,
        () => (localizer["Site not found"].Value, localizer["There is no studio at this address. Check the address, or ask the studio for its link."].Value));

    /// <summary>A disabled tenant.</summary>
    public Task DisabledAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
        () => (localizer["This studio is unavailable"].Value, localizer["This site has been switched off by its operator. Please try again later."].Value));

    /// <summary>A tenant that is being set up or could not start; the client may retry.</summary>
    public Task StartingAsync(HttpContext context, int retryAfterSeconds)
    {
        if (!context.Response.HasStarted)
            context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            () => (localizer["This studio is starting"].Value, localizer["The site is being prepared. It will be ready in a few moments."].Value));
    }

    /// <summary>
    /// The language of a status page: the first of the browser's languages (by quality) that the platform is
    /// translated into, else English. <c>de-AT</c> keeps its region; a bare <c>de</c> gets the language's default culture.
    /// </summary>
    public static CultureInfo CultureOf(HttpRequest request) =>
        Localization.AcceptLanguage.Choose(request, StudioLanguages.All, language => CultureInfo.GetCultureInfo(language.DefaultCulture))
        ?? CultureInfo.GetCultureInfo(StudioLanguages.All[0].DefaultCulture);

    private static async Task WriteAsync(HttpContext context, int status, Func<(string Title, string Message)> texts)
    {
        if (context.Response.HasStarted)
            return;
        // Set for this page only: an async method's changes to the culture do not flow back to its caller.
        var culture = CultureOf(context.Request);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        var (title, message) = texts();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentLanguage = culture.Name;
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        var html = Html;
        await context.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{html.Encode(culture.Name)}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            // An empty icon: otherwise the browser asks for /favicon.ico, gets another 404 and logs it as an error.
            "<link rel=\"icon\" href=\"data:,\">" +
            $"<title>{html.Encode(title)}</title><style>{Security.StatusPageStyle.Css}</style></head>" +
            "<body>" +
            $"<h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p></body></html>");
    }
}
