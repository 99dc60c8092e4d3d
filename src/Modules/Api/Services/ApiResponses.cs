using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Localization;
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
            throw new ApiBadRequestException(Localizable.Text("The request body is empty; a JSON object is expected."));
        try
        {
            return JsonSerializer.Deserialize<T>(body, Options) ?? throw new ApiBadRequestException(Localizable.Text("The request body is null; a JSON object is expected."));
        }
        catch (JsonException e)
        {
            // The message names the path and position, not the value: safe to return.
            throw e.Path is null
                ? new ApiBadRequestException(Localizable.Text("The request body is not valid JSON for this operation: line {0}."), (e.LineNumber ?? 0) + 1)
                : new ApiBadRequestException(Localizable.Text("The request body is not valid JSON for this operation: at {0}, line {1}."), e.Path, (e.LineNumber ?? 0) + 1);
        }
    }

    /// <summary>
    /// The request body as a JSON object, for an operation a tenant's module reads itself (SSO providers, manual
    /// rates): anything else is a 400 problem naming where the JSON went wrong.
    /// </summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToElement(Read<System.Text.Json.Nodes.JsonObject>(await ReadBodyAsync(request, cancellationToken)));

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

/// <summary>
/// An API refusal whose message is shown to the client: English text (a translation key, marked with
/// <see cref="Localizable.Text"/> where it is thrown) and its <c>{0}</c> arguments, translated into the request's
/// language when the problem is written. <see cref="Exception.Message"/> is the English text, for logs.
/// </summary>
public abstract class ApiException(string text, object[] arguments)
    : Exception(arguments.Length == 0 ? text : string.Format(System.Globalization.CultureInfo.InvariantCulture, text, arguments))
{
    /// <summary>The English text: the translation key.</summary>
    public string Text { get; } = text;

    /// <summary>The values of its placeholders.</summary>
    public object[] Arguments { get; } = arguments;

    /// <summary>The message in the request's language.</summary>
    public string Localize(IStringLocalizer localizer) => localizer[Text, Arguments];
}

/// <summary>Malformed request (body, header, query): answered with a 400 problem.</summary>
public sealed class ApiBadRequestException(string text, params object[] arguments) : ApiException(text, arguments);

/// <summary>Not found (or not yours): answered with a 404 problem.</summary>
public sealed class ApiNotFoundException(string text, params object[] arguments) : ApiException(text, arguments);

/// <summary>A precondition header is missing (If-Match on an update): 428.</summary>
public sealed class ApiPreconditionRequiredException(string text, params object[] arguments) : ApiException(text, arguments);

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

/// <summary>
/// RFC 7807 problem details (<c>application/problem+json</c>) for every API error, in the request's language: the
/// title (the status's standard phrase) and the detail are translated with the tenant's localizer, so a client
/// sending <c>Accept-Language: de</c> reads German (on /api the host lets the client's Accept-Language go first).
/// </summary>
public static class ApiProblems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The localizer of the request (its culture is the request's).</summary>
    public static IStringLocalizer Localizer(HttpContext context) =>
        context.RequestServices.GetRequiredService<IStringLocalizer<ApiResponse>>();

    /// <summary>The standard title of a status, translated.</summary>
    public static string TitleOf(HttpContext context, int status)
    {
        var T = Localizer(context);
        return status switch
        {
            400 => T["Bad Request"],
            401 => T["Unauthorized"],
            403 => T["Forbidden"],
            404 => T["Not Found"],
            409 => T["Conflict"],
            412 => T["Precondition Failed"],
            422 => T["Unprocessable Entity"],
            428 => T["Precondition Required"],
            503 => T["Service Unavailable"],
            _ => T["Error"],
        };
    }

    /// <summary>A problem; <paramref name="detail"/> is already in the request's language; no title: the status's own.</summary>
    public static ProblemDetails Create(HttpContext context, int status, string? detail = null, string? title = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title ?? TitleOf(context, status), Detail = detail, Type = TypeOf(status), Instance = context.Request.Path };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        return problem;
    }

    public static ApiResponse Response(ProblemDetails problem) =>
        new(problem.Status ?? 500, JsonSerializer.Serialize(problem, problem.GetType(), ApiJson.Options), ContentType);

    /// <summary>A problem answer; <paramref name="detail"/> is already in the request's language.</summary>
    public static ApiResponse Problem(HttpContext context, int status, string? detail = null, string? title = null) =>
        Response(Create(context, status, detail, title));

    /// <summary>A 400 listing <paramref name="errors"/> (already in the request's language, as the platform writes them).</summary>
    /// <remarks>A refused feature change's unconfirmed extra features (<paramref name="extraFeatures"/>) are listed as <c>extraFeatures</c>.</remarks>
    public static ApiResponse Validation(HttpContext context, IReadOnlyList<string> errors, string field = "request", IReadOnlyList<string>? extraFeatures = null)
    {
        var localizer = Localizer(context);
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [.. errors] })
        {
            Status = StatusCodes.Status400BadRequest, Title = localizer["One or more validation errors occurred."], Type = TypeOf(400),
            Detail = string.Join(" ", errors), Instance = context.Request.Path,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        if (extraFeatures is { Count: > 0 })
            problem.Extensions["extraFeatures"] = extraFeatures;
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
        var localizer = Localizer(context);
        try
        {
            response = await operation();
        }
        // The platform's messages (validation, concurrency, plan limits) are written in the request's language already.
        catch (PlatformValidationException e) { response = Validation(context, e.Errors, extraFeatures: e.ExtraFeatures); }
        catch (PlatformConcurrencyException e) { response = Problem(context, 409, e.Message); }
        catch (PlatformForbiddenException) { response = NotFound(context); }
        catch (ApiNotFoundException e) { response = Problem(context, 404, e.Localize(localizer)); }
        catch (PlanLimitExceededException e)
        {
            var problem = Create(context, 422, e.Message, localizer["Plan limit exceeded"]);
            problem.Extensions["limit"] = e.Key;
            problem.Extensions["max"] = e.Limit;
            response = Response(problem);
        }
        catch (ApiBadRequestException e) { response = Problem(context, 400, e.Localize(localizer)); }
        catch (ApiPreconditionRequiredException e) { response = Problem(context, 428, e.Localize(localizer)); }
        catch (Endpoints.ApiUnavailableException e) { response = Problem(context, 503, localizer["{0} is not available on this platform.", e.Service]); }
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            await AuditWriteAsync(context, response.Status);
        return response;
    }

    /// <summary>The one "not found" answer: the same for a missing tenant and another reseller's.</summary>
    public static ApiResponse NotFound(HttpContext context)
    {
        var localizer = Localizer(context);
        return Problem(context, 404, localizer["No such resource."]);
    }

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
