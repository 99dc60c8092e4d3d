using System.Diagnostics;

namespace Studio.Host.Diagnostics;

/// <summary>
/// The host's request log: one line per request — method, host, path, status, duration — and never the query
/// string. Links in mails carry one-time tokens in their query (magic links, password resets, invitations), and
/// ASP.NET Core's own "Request starting/finished" lines print it whole, so that category is held at Warning (see
/// <see cref="StudioLogging"/>) and this line takes its place.
/// </summary>
public sealed class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            logger.LogInformation("HTTP {Method} {Host}{PathBase}{Path} responded {StatusCode} in {ElapsedMs:0.0} ms",
                context.Request.Method, context.Request.Host.Value, context.Request.PathBase.Value, context.Request.Path.Value,
                context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}

/// <summary>Logging rules the host sets whatever the configuration says.</summary>
public static class StudioLogging
{
    /// <summary>ASP.NET Core's hosting diagnostics: logs every request's full URL, query string (and its tokens) included.</summary>
    public const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// Holds the request-URL category at Warning. A filter on the exact category outranks a configured rule for a
    /// broader one (e.g. <c>Microsoft.AspNetCore: Debug</c>); only a rule naming this category itself overrides it.
    /// </summary>
    public static ILoggingBuilder AddStudioLogRules(this ILoggingBuilder logging) =>
        logging.AddFilter(HostingDiagnostics, LogLevel.Warning);
}
