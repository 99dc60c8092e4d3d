using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Identity;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>The audit actions of two-factor authentication (stable codes: filters and reports rely on them).</summary>
public static class TwoFactorAuditActions
{
    public const string Enabled = "2fa.enabled";
    public const string Disabled = "2fa.disabled";
    public const string RecoveryCodeUsed = "2fa.recovery_code_used";
    public const string RecoveryCodesRegenerated = "2fa.recovery_codes_regenerated";
    public const string Failed = "2fa.failed";
    public const string Lockout = "lockout";
}

/// <summary>
/// Records two-factor events in the tenant's audit trail when the Audit feature is enabled there; without it the
/// events are simply not recorded. Never records a code, a key or a recovery code.
/// </summary>
public sealed class TwoFactorAudit(IServiceProvider services, IHttpContextAccessor http)
{
    public Task RecordAsync(string action, StudioUser user, object? after = null, CancellationToken cancellationToken = default)
    {
        var trail = services.GetService<IAuditTrail>();
        if (trail is null)
            return Task.CompletedTask;
        var context = http.HttpContext;
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? user.UserName ?? user.Id : user.DisplayName;
        return trail.RecordAsync(new AuditRecord(new AuditActor(user.Id, name), action, Target: user.Id, After: after,
            Ip: context?.Connection.RemoteIpAddress?.ToString(),
            UserAgent: context?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null), cancellationToken);
    }
}
