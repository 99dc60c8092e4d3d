using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Platform;

namespace Studio.Modules.Api.Services;

/// <summary>The API's JSON: web defaults (camelCase), enums as strings.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Reads the request body as <typeparamref name="T"/>; malformed JSON, a wrong type or an empty body throw
    /// <see cref="ApiBadRequestException"/> (a 400 problem), never a 500.
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> body) where T : class
    {
        if (body.IsEmpty)
            throw new ApiBadRequestException("The request body is empty; a JSON object is expected.");
        try
        {
            return JsonSerializer.Deserialize<T>(body, Options) ?? throw new ApiBadRequestException("The request body is null; a JSON object is expected.");
        }
        catch (JsonException e)
        {
            // The message names the path and position, not the value: safe to return.
            throw new ApiBadRequestException("The request body is not valid JSON for this operation: " + (e.Path is null ? "" : $"at {e.Path}, ") + $"line {e.LineNumber + 1}.");
        }
    }

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

/// <summary>Malformed request (body, header, query): answered with a 400 problem.</summary>
public sealed class ApiBadRequestException(string message) : Exception(message);

/// <summary>Not found (or not yours): answered with a 404 problem.</summary>
public sealed class ApiNotFoundException(string message) : Exception(message);

/// <summary>A precondition header is missing (If-Match on an update): 428.</summary>
public sealed class ApiPreconditionRequiredException(string message) : Exception(message);

/// <summary>
/// A finished API response (status, JSON body, headers) — a value, so the idempotency store can keep it and
/// replay it byte for byte.
/// </summary>
public sealed record ApiResponse(int Status, string? Body, string ContentType = "application/json", string? Location = null, string? ETag = null) : IResult
{
    public static ApiResponse Json(object? value, int status = StatusCodes.Status200OK, string? location = null, string? etag = null) =>
        new(status, JsonSerializer.Serialize(value, ApiJson.Options), "application/json", location, etag);

    public static ApiResponse NoContent() => new(StatusCodes.Status204NoContent, null);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (Location is not null)
            response.Headers.Location = Location;
        if (ETag is not null)
            response.Headers.ETag = ETag;
        if (Body is null)
            return;
        response.ContentType = ContentType;
        await response.WriteAsync(Body, Encoding.UTF8, httpContext.RequestAborted);
    }
}

/// <summary>RFC 7807 problem details (<c>application/problem+json</c>) for every API error.</summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    public static ProblemDetails Create(HttpContext context, int status, string title, string? detail = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeOf(status), Instance = context.Request.Path };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return problem;
    }

    public static ApiResponse Response(ProblemDetails problem) =>
        new(problem.Status ?? 500, JsonSerializer.Serialize(problem, problem.GetType(), ApiJson.Options), ContentType);

    public static ApiResponse Problem(HttpContext context, int status, string title, string? detail = null) =>
        Response(Create(context, status, title, detail));

    public static ApiResponse Validation(HttpContext context, IReadOnlyList<string> errors, string field = "request")
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [.. errors] })
        {
            Status = StatusCodes.Status400BadRequest, Title = "One or more validation errors occurred.", Type = TypeOf(400),
            Detail = string.Join(" ", errors), Instance = context.Request.Path,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return Response(problem);
    }

    public static Task Write(HttpContext context, ProblemDetails problem) => Response(problem).ExecuteAsync(context);

    private static string TypeOf(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        428 => "https://tools.ietf.org/html/rfc6585#section-3",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };

    /// <summary>
    /// Runs an API operation and maps the platform's exceptions to problems: validation → 400 with errors,
    /// concurrency → 409, forbidden (another reseller's tenant) and not found → 404 (never confirming that a name
    /// exists), plan limit → 422, malformed input → 400. A write (any method but GET/HEAD) is recorded in the
    /// Default tenant's audit trail with the key that made it and the status it got.
    /// </summary>
    public static async Task<ApiResponse> RunAsync(HttpContext context, Func<Task<ApiResponse>> operation)
    {
        ApiResponse response;
        try
        {
            response = await operation();
        }
        catch (PlatformValidationException e) { response = Validation(context, e.Errors); }
        catch (PlatformConcurrencyException e) { response = Problem(context, 409, "Conflict", e.Message); }
        catch (PlatformForbiddenException) { response = NotFound(context); }
        catch (ApiNotFoundException e) { response = Problem(context, 404, "Not Found", e.Message); }
        catch (PlanLimitExceededException e)
        {
            var problem = Create(context, 422, "Plan limit exceeded", e.Message);
            problem.Extensions["limit"] = e.Key;
            problem.Extensions["max"] = e.Limit;
            response = Response(problem);
        }
        catch (ApiBadRequestException e) { response = Problem(context, 400, "Bad Request", e.Message); }
        catch (ApiPreconditionRequiredException e) { response = Problem(context, 428, "Precondition Required", e.Message); }
        catch (Endpoints.ApiUnavailableException e) { response = Problem(context, 503, "Service Unavailable", e.Message); }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            await AuditWriteAsync(context, response.Status);
        return response;
    }

    /// <summary>The one "not found" answer: the same for a missing tenant and another reseller's.</summary>
    public static ApiResponse NotFound(HttpContext context) => Problem(context, 404, "Not Found", "No such resource.");

    private static async Task AuditWriteAsync(HttpContext context, int status)
    {
        var trail = context.RequestServices.GetService<IAuditTrail>();
        if (trail is null)
            return;
        var actor = ApiKeyDefaults.Actor(context);
        try
        {
            await trail.RecordAsync(new AuditRecord(new AuditActor(actor.UserId, actor.DisplayName), "api.request",
                context.Request.Path, After: new { method = context.Request.Method, path = context.Request.Path.Value, status, reseller = actor.ResellerId },
                Ip: actor.Ip, UserAgent: actor.UserAgent), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The operation itself has happened (and the host audited the change); a failed extra line must not turn it into an error.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiProblems)).LogError(e, "Could not audit an API write");
        }
    }
}
