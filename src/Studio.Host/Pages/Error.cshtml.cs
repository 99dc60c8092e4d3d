using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Host.Data;
using Studio.Host.Tenancy;

namespace Studio.Host.Pages;

/// <summary>What went wrong, in the words the error page uses.</summary>
public enum ErrorKind { NotFound, BadRequest, TooManyRequests, Unavailable, ServerError }

/// <summary>
/// The tenant's own error page, in its theme: re-executed by the tenant pipeline for unhandled exceptions and for
/// empty 4xx/5xx responses. It never shows exception details. A database that cannot be reached is a 503 with
/// Retry-After, not a 500: the request may simply be tried again.
/// </summary>
// A failed POST is re-executed here as a POST: the page changes nothing, and checking its antiforgery token
// again would only turn "your form expired" into a blank 400.
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>The kind of error shown.</summary>
    public ErrorKind Kind { get; private set; } = ErrorKind.NotFound;

    // Runs whatever the HTTP method: the original request (a POST, say) is re-executed here as it was.
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        if (exception is not null)
        {
            if (TransientDatabaseErrors.IsTransient(exception))
            {
                TransientDatabaseErrors.ForgetBrokenConnections(exception);
                Kind = ErrorKind.Unavailable;
                Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                Response.Headers.RetryAfter = TenantMiddleware.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                Kind = ErrorKind.ServerError;
                Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
        else if (reExecuted)
        {
            Kind = Response.StatusCode switch
            {
                StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => ErrorKind.NotFound,
                // A rate limit (its Retry-After is already set by the limiter).
                StatusCodes.Status429TooManyRequests => ErrorKind.TooManyRequests,
                >= 400 and < 500 => ErrorKind.BadRequest,
                StatusCodes.Status503ServiceUnavailable => ErrorKind.Unavailable,
                _ => ErrorKind.ServerError,
            };
        }
        else
        {
            // Asked for directly: there is no error to show, so this address does not exist.
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        Response.Headers.CacheControl = "no-store";
    }
}
