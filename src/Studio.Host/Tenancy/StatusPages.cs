using System.Text.Encodings.Web;
using Microsoft.Extensions.Localization;

namespace Studio.Host.Tenancy;

/// <summary>
/// The plain pages the host answers with when no tenant can serve a request: unknown host (404), tenant
/// disabled (503), tenant being set up (503 + Retry-After). They carry no tenant's branding or content.
/// </summary>
public sealed class StatusPages(IStringLocalizer<StatusPages> localizer)
{
    /// <summary>An unknown host name: a plain 404, never another tenant's content.</summary>
    public Task UnknownHostAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound,
        localizer["Site not found"], localizer["There is no studio at this address. Check the address, or ask the studio for its link."]);

    /// <summary>A disabled tenant.</summary>
    public Task DisabledAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
        localizer["This studio is unavailable"], localizer["This site has been switched off by its operator. Please try again later."]);

    /// <summary>A tenant that is being set up or could not start; the client may retry.</summary>
    public Task StartingAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
            localizer["This studio is starting"], localizer["The site is being prepared. It will be ready in a few moments."]);
    }

    private static async Task WriteAsync(HttpContext context, int status, string title, string message)
    {
        if (context.Response.HasStarted)
            return;
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var html = HtmlEncoder.Default;
        await context.Response.WriteAsync(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            // An empty icon: otherwise the browser asks for /favicon.ico, gets another 404 and logs it as an error.
            "<link rel=\"icon\" href=\"data:,\">" +
            $"<title>{html.Encode(title)}</title><style>{Security.StatusPageStyle.Css}</style></head>" +
            "<body>" +
            $"<h1>{html.Encode(title)}</h1><p>{html.Encode(message)}</p></body></html>");
    }
}
