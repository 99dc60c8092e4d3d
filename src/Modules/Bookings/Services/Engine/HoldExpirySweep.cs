using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>
/// Expires holds past their time while the tenant is active (every <see cref="Interval"/>, default one minute,
/// tenant setting <c>Bookings:HoldSweepSeconds</c>; 0 turns it off). Correctness never depends on it: every
/// booking transaction expires stale holds first and availability ignores them — the sweep just frees the rows
/// and records the expiry promptly. One per tenant activation; it stops with the tenant's container.
/// </summary>
public sealed class HoldExpirySweep(IServiceProvider services, TimeSpan interval, TimeProvider clock, ILogger<HoldExpirySweep> logger)
    : TenantBackgroundLoop(clock, logger)
{
    protected override TimeSpan Interval { get; } = interval;

    protected override string RoundName => "Hold expiry sweep";

    // Activation itself needs no round: the first one comes an interval later.
    protected override bool WaitBeforeFirstRound => true;

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IBookingEngine>().ExpireHoldsAsync(cancellationToken);
    }
}
