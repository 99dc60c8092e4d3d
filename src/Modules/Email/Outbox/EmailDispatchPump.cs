using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Modules.Email.Settings;
using Studio.Tenancy;

namespace Studio.Modules.Email.Outbox;

/// <summary>
/// Runs the dispatcher while the tenant is active: every poll interval, and at once when a message is queued
/// outside a transaction. Tenants are activated lazily and released when idle, so mail of an inactive tenant
/// waits until its next activation — the outbox keeps it. One pump per tenant activation; it stops with the
/// tenant's container.
/// </summary>
public sealed class EmailDispatchPump(IServiceProvider services, EmailSettings settings, TimeProvider clock, ILogger<EmailDispatchPump> logger)
    : TenantBackgroundLoop(clock, logger)
{
    private readonly SemaphoreSlim _nudge = new(0, 1);

    protected override TimeSpan Interval => settings.PollInterval;

    protected override string RoundName => "Email dispatch round";

    /// <summary>Asks for a round now (a message was just queued).</summary>
    public void Nudge()
    {
        if (!Running)
            return;
        try { _nudge.Release(); }
        catch (SemaphoreFullException) { } // a round is already asked for
        catch (ObjectDisposedException) { }
    }

    protected override async Task RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EmailDispatcher>().DispatchAsync(cancellationToken: cancellationToken);
    }

    protected override Task WaitAsync(CancellationToken cancellationToken) => _nudge.WaitAsync(Interval, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _nudge.Dispose();
    }
}
