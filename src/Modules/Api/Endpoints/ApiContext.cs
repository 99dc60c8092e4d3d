using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Studio.Localization;
using Studio.Modules.Api.Services;
using Studio.Platform;

namespace Studio.Modules.Api.Endpoints;

/// <summary>What an endpoint needs from the request: the actor (from the key), services, confinement and versions.</summary>
internal static class ApiContext
{
    /// <summary>A platform service, or a 503 problem when this build does not provide it.</summary>
    public static T Service<T>(HttpContext context) where T : class =>
        context.RequestServices.GetService<T>() ?? throw new ApiUnavailableException(typeof(T).Name);

    /// <summary>
    /// The tenant, when the key may see it. A reseller key asking for another reseller's tenant (or a platform
    /// one) gets exactly the answer a missing name gets, so names cannot be discovered by guessing.
    /// </summary>
    public static async Task<TenantInfo> VisibleTenantAsync(HttpContext context, PlatformActor actor, string name)
    {
        // The host confines reseller actors (forbidden, mapped to 404); the check below holds even if it did not.
        TenantInfo? tenant;
        try
        {
            tenant = await Service<ITenantAdministration>(context).GetAsync(actor, name, context.RequestAborted);
        }
        catch (PlatformForbiddenException)
        {
            tenant = null; // the same answer, word for word, as a name that does not exist
        }
        if (tenant is null || (!actor.IsOperator && !string.Equals(tenant.Reseller, actor.ResellerId, StringComparison.Ordinal)))
            throw new ApiNotFoundException(Localizable.Text("No such tenant."));
        return tenant;
    }

    /// <summary>Platform-only operations: a reseller key gets 403.</summary>
    public static ApiResponse? RequireOperator(HttpContext context, PlatformActor actor)
    {
        if (actor.IsOperator)
            return null;
        var localizer = ApiProblems.Localizer(context);
        return ApiProblems.Problem(context, 403, localizer["Only a platform API key may do this."]);
    }

    /// <summary>The version an update is based on: <c>If-Match</c> (the ETag of a GET). Required: 428 without it.</summary>
    public static string ExpectedVersion(HttpContext context)
    {
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
            throw new ApiPreconditionRequiredException(Localizable.Text("Send If-Match with the ETag of the tenant (from a GET): updates are refused over a newer version."));
        if (header.StartsWith("W/", StringComparison.Ordinal))
            header = header[2..];
        return header.Trim('"');
    }

    /// <summary>The version a change is based on when the client sent <c>If-Match</c>; null when it did not.</summary>
    public static string? OptionalExpectedVersion(HttpContext context) =>
        context.Request.Headers.IfMatch.Count == 0 || context.Request.Headers.IfMatch.ToString().Trim().Length == 0 ? null : ExpectedVersion(context);

    public static string ETag(string version) => $"\"{version}\"";

    public static int QueryInt(HttpContext context, string name, int fallback, int min, int max)
    {
        var raw = context.Request.Query[name].ToString();
        if (raw.Length == 0)
            return fallback;
        if (!int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new ApiBadRequestException(Localizable.Text("'{0}' must be a whole number from {1} to {2}."), name, min, max);
        return value;
    }
}

/// <summary>A platform service this build lacks: 503.</summary>
internal sealed class ApiUnavailableException(string service) : Exception($"{service} is not available on this platform.")
{
    /// <summary>The missing service's name.</summary>
    public string Service { get; } = service;
}
