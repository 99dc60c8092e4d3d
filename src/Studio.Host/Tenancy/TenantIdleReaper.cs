using Microsoft.Extensions.Options;

namespace Studio.Host.Tenancy;

/// <summary>
/// Releases tenants that have had no request for <see cref="StudioOptions.IdleTimeout"/>, looking every
/// <see cref="StudioOptions.IdleCheckInterval"/>.
/// </summary>
public sealed class TenantIdleReaper(ShellHost shells, IOptions<StudioOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.IdleCheckInterval is { } interval && interval > TimeSpan.Zero
            ? interval
            : TimeSpan.FromTicks(Math.Clamp(options.Value.IdleTimeout.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            shells.ReleaseIdle(clock.GetUtcNow().UtcDateTime);
    }
}
