using Studio.Audit;
using Studio.Host.Tenancy;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Platform;

/// <summary>
/// Records platform actions (who did what to which tenant or reseller, before/after) in the Default tenant's audit
/// trail — the operator's own — when the Default tenant has the audit feature. The tenant's own trail already gets
/// its record changes from <see cref="TenantChangeNotifier"/>'s observers; this is the platform's side, not a copy.
/// </summary>
public sealed class PlatformAudit(ShellHost shells, ILogger<PlatformAudit> logger)
{
    /// <summary>Appends an entry; a failing trail is logged, never undoes the action that already happened.</summary>
    public async Task RecordAsync(PlatformActor actor, string action, string? target, object? before, object? after, CancellationToken cancellationToken)
    {
        if (!shells.Table.ByName.TryGetValue(TenantContext.DefaultName, out var platform) || platform.State != TenantState.Running)
            return;
        try
        {
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
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not audit {Action} on {Target}", action, target);
        }
    }
}
