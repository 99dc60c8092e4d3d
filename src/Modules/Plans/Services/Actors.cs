using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Studio.Platform;

namespace Studio.Modules.Plans.Services;

/// <summary>The <see cref="PlatformActor"/> of a request: the signed-in operator, with the client's address for the audit trail.</summary>
internal static class Actors
{
    public static PlatformActor From(HttpContext context) => new(
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        context.User.Identity?.Name ?? "unknown",
        ResellerId: null,
        Ip: context.Connection.RemoteIpAddress?.ToString(),
        UserAgent: context.Request.Headers.UserAgent.ToString());
}
