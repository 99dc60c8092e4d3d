using Studio.Audit;
using Studio.Host.Tenancy;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Plans;

/// <summary>
/// Records platform actions in the Default tenant's audit trail, when the Default tenant has one (the Audit
/// feature enabled there); otherwise there is nowhere to record and the action goes ahead.
/// </summary>
public sealed class PlatformAudit(ShellHost shells)
{
    public async Task RecordAsync(PlatformActor actor, string action, string target, object? before, object? after, CancellationToken cancellationToken)
    {
        if (!shells.Table.ByName.TryGetValue(TenantContext.DefaultName, out var platform) || platform.State != TenantState.Running)
            return;
        var shell = await shells.AcquireAsync(platform, cancellationToken);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<IAuditTrail>() is { } trail)
                await trail.RecordAsync(new AuditRecord(new AuditActor(actor.UserId, actor.DisplayName), action, target, before, after,
                    actor.Ip, actor.UserAgent), cancellationToken);
        }
        finally { shell.Leave(); }
    }
}
