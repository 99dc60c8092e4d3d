using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Modules.Tenants.Pages;

/// <summary>Shared by the operator pages: who acts (for the audit trail) and how platform errors are shown.</summary>
public abstract class OperatorPage : PageModel
{
    /// <summary>The signed-in operator as a <see cref="PlatformActor"/> (never confined: these pages are operators' only).</summary>
    public static PlatformActor ActorOf(HttpContext context) => new(
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        context.User.Identity?.Name ?? "unknown",
        ResellerId: null,
        Ip: context.Connection.RemoteIpAddress?.ToString(),
        UserAgent: context.Request.Headers.UserAgent.ToString());

    /// <summary>The actor of this request.</summary>
    protected PlatformActor Actor => ActorOf(HttpContext);

    /// <summary>
    /// Runs a write; validation, concurrency and forbidden errors become messages on the page (forbidden and unknown
    /// tenants as 404), never a 500.
    /// </summary>
    protected Task<IActionResult> RunAsync(Func<Task<IActionResult>> action, Func<Task<IActionResult>> onError, IStringLocalizer localizer) =>
        this.RunPlatformWriteAsync(action, onError, localizer);
}
