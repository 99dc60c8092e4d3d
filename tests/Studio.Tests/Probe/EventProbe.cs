using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Studio.Events;
using Studio.Modules;
using Studio.Tenancy;

namespace Studio.Tests.Probe;

/// <summary>The test event.</summary>
[EventName("tests.thing-happened.v1")]
public sealed record ThingHappened(string What, decimal Amount, DateTime AtUtc);

/// <summary>What the probe's handlers saw, per tenant (tenant names are random per test), and how they fail.</summary>
public static class EventProbe
{
    public const string FeatureA = "Tests.Events.A";
    public const string FeatureB = "Tests.Events.B";

    /// <summary>Deliveries seen: (handler, event, context).</summary>
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<(string Handler, ThingHappened Event, EventContext Context)>> Seen = new();

    /// <summary>How many more times the flaky handler of a tenant throws (negative: always).</summary>
    public static readonly ConcurrentDictionary<string, int> FailuresLeft = new();

    public static IReadOnlyList<(string Handler, ThingHappened Event, EventContext Context)> Of(string tenant, string handler) =>
        Seen.TryGetValue(tenant, out var queue) ? queue.Where(s => s.Handler == handler).ToList() : [];

    internal static void Record(TenantContext tenant, string handler, ThingHappened @event, EventContext context) =>
        Seen.GetOrAdd(tenant.Name, _ => new()).Enqueue((handler, @event, context));
}

public sealed class RecordingHandler(TenantContext tenant) : IEventHandler<ThingHappened>
{
    public Task HandleAsync(ThingHappened @event, EventContext context, CancellationToken cancellationToken)
    {
        EventProbe.Record(tenant, nameof(RecordingHandler), @event, context);
        return Task.CompletedTask;
    }
}

public sealed class FlakyHandler(TenantContext tenant) : IEventHandler<ThingHappened>
{
    public async Task HandleAsync(ThingHappened @event, EventContext context, CancellationToken cancellationToken)
    {
        await Task.Yield();
        EventProbe.Record(tenant, nameof(FlakyHandler), @event, context);
        var left = EventProbe.FailuresLeft.GetValueOrDefault(tenant.Name);
        if (left != 0)
        {
            EventProbe.FailuresLeft[tenant.Name] = left - 1;
            throw new InvalidOperationException($"flaky handler refuses attempt {context.Attempt}");
        }
    }
}

public sealed class OtherHandler(TenantContext tenant) : IEventHandler<ThingHappened>
{
    public Task HandleAsync(ThingHappened @event, EventContext context, CancellationToken cancellationToken)
    {
        EventProbe.Record(tenant, nameof(OtherHandler), @event, context);
        return Task.CompletedTask;
    }
}

[ForFeature(EventProbe.FeatureA)]
public sealed class EventProbeAStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        services.AddEventHandler<ThingHappened, RecordingHandler>();
        services.AddEventHandler<ThingHappened, FlakyHandler>();
    }
}

[ForFeature(EventProbe.FeatureB)]
public sealed class EventProbeBStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        services.AddEventHandler<ThingHappened, OtherHandler>();
}
