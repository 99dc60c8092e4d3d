using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Identity;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Records account events in the tenant's audit trail when the Audit feature is on (resolved optionally), with the
/// request's IP address and user agent. Never passes passwords or tokens: callers give names, ids and roles only.
/// </summary>
public sealed class IdentityEvents(IServiceProvider services, IHttpContextAccessor accessor)
{
    public const string SignInSucceeded = "identity.sign-in.succeeded";
    public const string SignInFailed = "identity.sign-in.failed";
    public const string SignedOut = "identity.sign-out";
    public const string LockedOut = "identity.locked-out";
    public const string MagicLinkIssued = "identity.magic-link.issued";
    public const string MagicLinkUsed = "identity.magic-link.used";
    public const string PasswordChanged = "identity.password.changed";
    public const string PasswordReset = "identity.password.reset";
    public const string PasswordResetRequested = "identity.password.reset-requested";
    public const string EmailConfirmed = "identity.email.confirmed";
    public const string InvitationSent = "identity.invitation.sent";
    public const string InvitationAccepted = "identity.invitation.accepted";
    public const string RolesChanged = "identity.roles.changed";
    public const string UserRemoved = "identity.user.removed";
    public const string UserCreated = "identity.user.created";

    /// <summary>An actor for a user.</summary>
    public static AuditActor Actor(StudioUser user) => new(user.Id, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? user.Id : user.DisplayName);

    /// <summary>The signed-in user of the current request as an actor, or an anonymous actor.</summary>
    public AuditActor CurrentActor() => AuditActor.FromPrincipal(accessor.HttpContext?.User, AuditActor.Anonymous);

    /// <summary>Records an event (no-op without the Audit feature).</summary>
    public async Task RecordAsync(AuditActor actor, string action, string? target = null, object? before = null, object? after = null, CancellationToken cancellationToken = default)
    {
        var trail = services.GetService<IAuditTrail>();
        if (trail is null)
            return;
        var context = accessor.HttpContext;
        var ip = context?.Connection.RemoteIpAddress?.ToString();
        var agent = context?.Request.Headers.UserAgent.ToString();
        await trail.RecordAsync(new AuditRecord(actor, action, target, before, after, ip, string.IsNullOrEmpty(agent) ? null : agent[..Math.Min(agent.Length, 500)]), cancellationToken);
    }
}
