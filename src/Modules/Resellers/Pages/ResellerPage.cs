using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Platform;

namespace Studio.Modules.Resellers.Pages;

/// <summary>
/// Shared by the reseller pages: they require <see cref="StudioPolicies.Reseller"/>, act for the reseller of the
/// signed-in account's claim (issued from the account's stored data, never from a form or URL), and show platform
/// errors as messages — another reseller's tenant as a 404, like one that does not exist.
/// </summary>
[Authorize(Policy = StudioPolicies.Reseller)]
public abstract class ResellerPage : PageModel
{
    /// <summary>The signed-in reseller as a confined <see cref="PlatformActor"/>.</summary>
    /// <exception cref="InvalidOperationException">No reseller claim: the policy lets nobody without one in.</exception>
    public static PlatformActor ActorOf(HttpContext context) => new(
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown",
        context.User.Identity?.Name ?? "unknown",
        ResellerId: context.User.FindFirstValue(StudioClaims.Reseller) is { Length: > 0 } id ? id
            : throw new InvalidOperationException("A reseller page was reached without a reseller claim."),
        Ip: context.Connection.RemoteIpAddress?.ToString(),
        UserAgent: context.Request.Headers.UserAgent.ToString());

    /// <summary>The actor of this request.</summary>
    protected PlatformActor Actor => ActorOf(HttpContext);

    /// <summary>The reseller id this account acts for.</summary>
    protected string ResellerId => Actor.ResellerId!;

    /// <summary>Runs a write; validation and concurrency errors become messages, forbidden ones a 404.</summary>
    protected Task<IActionResult> RunAsync(Func<Task<IActionResult>> action, Func<Task<IActionResult>> onError, IStringLocalizer localizer) =>
        this.RunPlatformWriteAsync(action, onError, localizer);

    /// <summary>Host names from a field: one per line or separated by commas.</summary>
    protected static IReadOnlyList<string> SplitHosts(string? hosts) =>
        (hosts ?? "").Split(['\n', '\r', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
