using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Studio.Host.Tenancy;

/// <summary>
/// Picks up tenant changes saved by other host instances (new hosts, moved domains, toggled features) by polling
/// the platform store's revision counter, and applies them here: the next request sees them.
/// </summary>
public sealed class TenantChangeWatcher(ITenantStore store, ShellHost shells, IOptions<StudioOptions> options,
    ILogger<TenantChangeWatcher> logger) : BackgroundService
{
    private long _revision = -1;

    /// <summary>Starts from the revision the host loaded at start-up.</summary>
    public void StartFrom(long revision) => Interlocked.Exchange(ref _revision, revision);

    /// <summary>Reads and applies what changed since the last poll.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var changes = await store.ChangesSinceAsync(Interlocked.Read(ref _revision), cancellationToken);
        shells.Apply(changes.Changed, changes.Removed);
        Interlocked.Exchange(ref _revision, changes.Revision);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ChangePollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await PollAsync(stoppingToken); }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // shutting down: a poll cut short is no news
            }
            catch (DbException e)
            {
                // The platform database is away (readiness reports it); keep serving what we know.
                logger.LogWarning("Could not read tenant changes: {Message}", e.Message);
            }
        }
    }
}
