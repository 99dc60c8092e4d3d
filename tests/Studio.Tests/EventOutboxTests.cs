using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Studio.Data;
using Studio.Events;
using Studio.Host.Events;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>A host whose event dispatcher is off, so tests drive delivery themselves with a clock they control.</summary>
public sealed class EventStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:Events:PollInterval"] = "00:00:00";
        settings["Studio:Events:MaxAttempts"] = "3";
        settings["Studio:Events:RetryDelay"] = "00:00:10";
        return settings;
    }
}

/// <summary>
/// The host's event outbox: an event exists exactly when the publishing transaction commits; every subscribed
/// handler gets it once, tracked on its own; a failing handler is retried with backoff and dead-lettered after its
/// last attempt; a disabled feature's handlers get nothing.
/// </summary>
public sealed class EventOutboxTests(EventStudioFactory factory) : StudioTest<EventStudioFactory>(factory)
{
    private const string Dispatcher = "Studio.Host.Events.EventDispatcher";
    private static readonly ThingHappened Thing = new("mixing session", 120.50m, new DateTime(2026, 3, 29, 0, 30, 0, DateTimeKind.Utc));

    private async Task<T> InTenantAsync<T>(TestTenant tenant, Func<IServiceProvider, Task<T>> work)
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[tenant.Name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }
        finally { shell.Leave(); }
    }

    /// <summary>Publishes in a transaction of the tenant's database, then commits or rolls back.</summary>
    private Task<Guid> PublishAsync(TestTenant tenant, bool commit = true) => InTenantAsync(tenant, async sp =>
    {
        await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await sp.GetRequiredService<IEventOutbox>().PublishAsync(Thing, transaction);
        if (commit)
            await transaction.CommitAsync();
        else
            await transaction.RollbackAsync();
        return id;
    });

    private Task<int> DispatchAsync(TestTenant tenant, TimeProvider clock) =>
        InTenantAsync(tenant, sp => ActivatorUtilities.CreateInstance<EventDispatcher>(sp, clock).DispatchAsync());

    private Task<IReadOnlyList<EventDelivery>> DeliveriesAsync(TestTenant tenant) =>
        InTenantAsync(tenant, sp => sp.GetRequiredService<EventOutbox>().ListAsync());

    private Task<long> CountAsync(TestTenant tenant, string table) =>
        InTenantAsync(tenant, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
        });

    private static string Key<T>() => typeof(T).FullName!;

    [Fact]
    public async Task An_event_exists_only_when_its_transaction_commits_and_each_handler_gets_it_once()
    {
        var tenant = await CreateTenantAsync([EventProbe.FeatureA, EventProbe.FeatureB]);

        await PublishAsync(tenant, commit: false);
        Assert.Equal(0, await CountAsync(tenant, EventTables.Events));
        Assert.Equal(0, await CountAsync(tenant, EventTables.Deliveries));
        Assert.Equal(0, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Empty(EventProbe.Of(tenant.Name, nameof(RecordingHandler)));

        var id = await PublishAsync(tenant);
        Assert.Equal(1, await CountAsync(tenant, EventTables.Events));
        Assert.Equal(3, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        foreach (var handler in new[] { nameof(RecordingHandler), nameof(FlakyHandler), nameof(OtherHandler) })
        {
            var (_, received, context) = Assert.Single(EventProbe.Of(tenant.Name, handler));
            Assert.Equal(Thing, received); // the payload round-trips: decimal, UTC instant
            Assert.Equal(DateTimeKind.Utc, received.AtUtc.Kind);
            Assert.Equal((id, "tests.thing-happened.v1", 1), (context.EventId, context.EventName, context.Attempt));
        }
        Assert.All(await DeliveriesAsync(tenant), d => Assert.Equal((EventDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));

        // Delivered is delivered: later rounds run nothing again.
        Assert.Equal(0, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(1))));
        Assert.Single(EventProbe.Of(tenant.Name, nameof(RecordingHandler)));
    }

    [Fact]
    public async Task A_failing_handler_is_retried_with_backoff_and_the_others_are_not_run_again()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, @"handler Studio\.Tests\.Probe\.FlakyHandler failed \(attempt [12]\)");
        var tenant = await CreateTenantAsync([EventProbe.FeatureA]);
        EventProbe.FailuresLeft[tenant.Name] = 2;
        var id = await PublishAsync(tenant);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(1, await DispatchAsync(tenant, clock)); // the recorder; the flaky one fails
        var flaky = (await DeliveriesAsync(tenant)).Single(d => d.HandlerKey == Key<FlakyHandler>());
        Assert.Equal((EventDeliveryStatus.Pending, 1), (flaky.Status, flaky.Attempts));
        Assert.Contains("flaky handler refuses attempt 1", flaky.LastError);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(10), flaky.NextAttemptUtc, TimeSpan.FromMilliseconds(1));

        clock.Advance(TimeSpan.FromSeconds(9)); // not yet due
        Assert.Equal(0, await DispatchAsync(tenant, clock));
        Assert.Single(EventProbe.Of(tenant.Name, nameof(FlakyHandler)));

        clock.Advance(TimeSpan.FromSeconds(1)); // attempt 2 fails; the delay doubles
        Assert.Equal(0, await DispatchAsync(tenant, clock));
        flaky = (await DeliveriesAsync(tenant)).Single(d => d.HandlerKey == Key<FlakyHandler>());
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(20), flaky.NextAttemptUtc, TimeSpan.FromMilliseconds(1));

        clock.Advance(TimeSpan.FromSeconds(20)); // attempt 3 succeeds
        Assert.Equal(1, await DispatchAsync(tenant, clock));
        var attempts = EventProbe.Of(tenant.Name, nameof(FlakyHandler));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Context.Attempt));
        Assert.All(attempts, a => Assert.Equal(id, a.Context.EventId));
        Assert.Single(EventProbe.Of(tenant.Name, nameof(RecordingHandler)));
        Assert.All(await DeliveriesAsync(tenant), d => Assert.Equal(EventDeliveryStatus.Delivered, d.Status));
    }

    [Fact]
    public async Task A_handler_failing_every_attempt_is_dead_lettered_shown_in_readiness_and_can_be_requeued()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, @"handler Studio\.Tests\.Probe\.FlakyHandler failed \(attempt [12]\)");
        ExpectLog(Dispatcher, LogLevel.Error, @"dead-lettered for Studio\.Tests\.Probe\.FlakyHandler after 3 attempts");
        var tenant = await CreateTenantAsync([EventProbe.FeatureA]);
        EventProbe.FailuresLeft[tenant.Name] = -1;
        await PublishAsync(tenant);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        for (var i = 0; i < 5; i++)
        {
            await DispatchAsync(tenant, clock);
            clock.Advance(TimeSpan.FromMinutes(5));
        }
        Assert.Equal(3, EventProbe.Of(tenant.Name, nameof(FlakyHandler)).Count); // MaxAttempts, then no more
        var dead = Assert.Single(await InTenantAsync(tenant, sp => sp.GetRequiredService<EventOutbox>().ListAsync(EventDeliveryStatus.Dead)));
        Assert.Equal((Key<FlakyHandler>(), 3), (dead.HandlerKey, dead.Attempts));
        Assert.Contains("refuses attempt 3", dead.LastError);

        var ready = await GetJsonAsync(Factory.ClientFor("localhost"), "/health/ready");
        Assert.Equal(1, ready.GetProperty("events").GetProperty("deadLetters").GetProperty(tenant.Name).GetInt32());

        // The operator fixed the cause and requeues it: it is delivered, and readiness no longer lists the tenant.
        EventProbe.FailuresLeft[tenant.Name] = 0;
        Assert.Equal(1, await InTenantAsync(tenant, sp => sp.GetRequiredService<EventOutbox>().RetryDeadAsync()));
        Assert.Equal(1, await DispatchAsync(tenant, clock));
        Assert.All(await DeliveriesAsync(tenant), d => Assert.Equal(EventDeliveryStatus.Delivered, d.Status));
        ready = await GetJsonAsync(Factory.ClientFor("localhost"), "/health/ready");
        Assert.False(ready.GetProperty("events").GetProperty("deadLetters").TryGetProperty(tenant.Name, out _));
    }

    [Fact]
    public async Task The_owner_sees_given_up_deliveries_on_the_events_page_and_requeues_them_others_are_kept_out()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, @"handler Studio\.Tests\.Probe\.FlakyHandler failed \(attempt [12]\)");
        ExpectLog(Dispatcher, LogLevel.Error, @"dead-lettered for Studio\.Tests\.Probe\.FlakyHandler after 3 attempts");
        var tenant = await CreateTenantAsync([EventProbe.FeatureA]);
        EventProbe.FailuresLeft[tenant.Name] = 3;
        var id = await PublishAsync(tenant);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        for (var i = 0; i < 3; i++)
        {
            await DispatchAsync(tenant, clock);
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        var owner = await Factory.CreateUserAsync(tenant.Name, [Studio.Identity.StudioRoles.Owner]);
        var client = Factory.ClientWithCookie(tenant.Host, await Factory.SessionCookieAsync(tenant.Name, owner));
        var html = await GetStringAsync(client, "admin/events?status=dead");
        Assert.Contains("tests.thing-happened.v1", html);
        Assert.Contains(Key<FlakyHandler>(), html);
        Assert.Contains("flaky handler refuses attempt 3", html);
        Assert.Contains("1 deliveries were given up.", html);
        Assert.DoesNotContain(Key<RecordingHandler>(), html); // delivered: not in the "given up" list
        Assert.Contains(Key<RecordingHandler>(), await GetStringAsync(client, "admin/events"));
        Assert.Contains("Unknown status", await GetStringAsync(client, "admin/events?status=bogus"));

        using var retried = await client.PostAsync("admin/events?handler=Retry", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(html), ["EventId"] = id.ToString(), ["Status"] = "dead",
        }));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Contains("1 deliveries will be tried again shortly.", await GetStringAsync(client, retried.Headers.Location!.OriginalString.TrimStart('/')));
        Assert.Equal(1, await DispatchAsync(tenant, clock)); // the flaky handler's fourth call succeeds
        Assert.All(await DeliveriesAsync(tenant), d => Assert.Equal(EventDeliveryStatus.Delivered, d.Status));

        // Staff without the owner's or admin's role, and visitors, never see it.
        var engineer = await Factory.CreateUserAsync(tenant.Name, [Studio.Identity.StudioRoles.Engineer]);
        var staff = Factory.ClientWithCookie(tenant.Host, await Factory.SessionCookieAsync(tenant.Name, engineer));
        using (var denied = await staff.GetAsync("admin/events"))
            Assert.NotEqual(System.Net.HttpStatusCode.OK, denied.StatusCode);
        using (var anonymous = await tenant.Client.GetAsync("admin/events"))
            Assert.NotEqual(System.Net.HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task Handlers_of_a_disabled_feature_get_nothing()
    {
        var tenant = await CreateTenantAsync([EventProbe.FeatureA, EventProbe.FeatureB]);
        await PublishAsync(tenant); // while B is on: a delivery row for B's handler too
        await ChangeFeaturesAsync(tenant.Name, [], [EventProbe.FeatureB]);
        await PublishAsync(tenant); // B is off: no row for it

        Assert.Equal(4, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Empty(EventProbe.Of(tenant.Name, nameof(OtherHandler)));
        Assert.Equal(2, EventProbe.Of(tenant.Name, nameof(RecordingHandler)).Count);
        var other = Assert.Single(await DeliveriesAsync(tenant), d => d.HandlerKey == Key<OtherHandler>());
        Assert.Equal(EventDeliveryStatus.Skipped, other.Status);

        // Enabled again, it does not get what happened while it was off.
        await ChangeFeaturesAsync(tenant.Name, [EventProbe.FeatureB], []);
        Assert.Equal(0, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Empty(EventProbe.Of(tenant.Name, nameof(OtherHandler)));
    }

    [Fact]
    public async Task Two_dispatchers_at_once_run_each_handler_once_per_event()
    {
        var tenant = await CreateTenantAsync([EventProbe.FeatureA]);
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
            ids.Add(await PublishAsync(tenant));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var delivered = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => DispatchAsync(tenant, clock))));

        Assert.Equal(40, delivered.Sum());
        foreach (var handler in new[] { nameof(RecordingHandler), nameof(FlakyHandler) })
            Assert.Equal(ids.Order(), EventProbe.Of(tenant.Name, handler).Select(s => s.Context.EventId).Order());
    }

    [Fact]
    public async Task Settled_events_are_removed_after_the_retention_and_dead_letters_are_kept()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, @"handler Studio\.Tests\.Probe\.FlakyHandler failed \(attempt [12]\)");
        ExpectLog(Dispatcher, LogLevel.Error, @"dead-lettered for Studio\.Tests\.Probe\.FlakyHandler after 3 attempts");
        var tenant = await CreateTenantAsync([EventProbe.FeatureA, EventProbe.FeatureB]);
        await PublishAsync(tenant); // delivered to all three handlers
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        Assert.Equal(3, await DispatchAsync(tenant, clock));
        EventProbe.FailuresLeft[tenant.Name] = -1;
        await PublishAsync(tenant); // the flaky handler gives up on this one
        clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        for (var i = 0; i < 3; i++)
        {
            await DispatchAsync(tenant, clock);
            clock.Advance(TimeSpan.FromMinutes(5));
        }

        Task<int> PurgeAsync(TimeSpan after) => InTenantAsync(tenant, sp =>
            ActivatorUtilities.CreateInstance<EventDispatcher>(sp, (TimeProvider)new FakeTimeProvider(DateTimeOffset.UtcNow + after)).PurgeAsync());
        Assert.Equal(0, await PurgeAsync(TimeSpan.FromDays(29))); // within the retention
        Assert.Equal(1, await PurgeAsync(TimeSpan.FromDays(31)));
        Assert.Equal(1, await CountAsync(tenant, EventTables.Events));
        var left = await DeliveriesAsync(tenant);
        Assert.Equal(3, left.Count); // the kept event's three deliveries, one of them dead
        Assert.Single(left, d => d.Status == EventDeliveryStatus.Dead);
    }

    [Fact]
    public async Task Every_tenant_has_its_own_outbox()
    {
        var first = await CreateTenantAsync([EventProbe.FeatureA]);
        var second = await CreateTenantAsync([EventProbe.FeatureA]);
        await PublishAsync(first);
        Assert.Equal(0, await DispatchAsync(second, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Equal(0, await CountAsync(second, EventTables.Events));
        Assert.Equal(2, await DispatchAsync(first, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Empty(EventProbe.Of(second.Name, nameof(RecordingHandler)));
    }

    [Fact]
    public async Task An_event_type_without_a_name_is_refused_and_nothing_is_written()
    {
        var tenant = await CreateTenantAsync([EventProbe.FeatureA]);
        await InTenantAsync(tenant, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => sp.GetRequiredService<IEventOutbox>().PublishAsync(new { Unnamed = 1 }, transaction));
            await transaction.CommitAsync();
            return 0;
        });
        Assert.Equal(0, await CountAsync(tenant, EventTables.Events));
    }
}

/// <summary>A host whose dispatcher runs on its own, as in production (a short poll interval).</summary>
public sealed class EventPumpStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:Events:PollInterval"] = "00:00:00.050";
        return settings;
    }
}

/// <summary>The per-tenant dispatcher started with the shell delivers by itself and stops quietly with it.</summary>
public sealed class EventPumpTests(EventPumpStudioFactory factory) : StudioTest<EventPumpStudioFactory>(factory)
{
    [Fact]
    public async Task A_committed_event_is_delivered_by_the_tenants_dispatcher_and_the_dispatcher_stops_with_the_shell()
    {
        var tenant = await CreateTenantAsync([EventProbe.FeatureA]);
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[tenant.Name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await using var connection = await scope.ServiceProvider.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await scope.ServiceProvider.GetRequiredService<IEventOutbox>().PublishAsync(new ThingHappened("tracking", 1m, DateTime.UtcNow), transaction);
            await transaction.CommitAsync();
        }
        finally { shell.Leave(); }

        await Eventually.TrueAsync(() => EventProbe.Of(tenant.Name, nameof(RecordingHandler)).Count == 1
            && EventProbe.Of(tenant.Name, nameof(FlakyHandler)).Count == 1, "both handlers got the event");

        // A feature change releases the shell: its dispatcher stops without a word in the log.
        await ChangeFeaturesAsync(tenant.Name, [EventProbe.FeatureB], []);
        await shell.Disposed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(EventProbe.Of(tenant.Name, nameof(RecordingHandler)));
    }
}
