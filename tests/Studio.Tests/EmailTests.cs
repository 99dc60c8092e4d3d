using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Studio.Data;
using Studio.Email;
using Studio.Host.Tenancy;
using Studio.Modules.Email.Outbox;
using Studio.Modules.Email.Templates;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>A host whose email pump is off, so tests drive delivery themselves with a clock they control.</summary>
public sealed class EmailStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:Email:PollInterval"] = "00:00:00";
        settings["Studio:Email:FromAddress"] = "no-reply@studio.test";
        return settings;
    }
}

/// <summary>
/// Transactional email against a real SMTP server on loopback: delivery, outage and backoff, failover, no double
/// send, no secret in the log, per-tenant outboxes.
/// </summary>
public sealed class EmailTests(EmailStudioFactory factory) : StudioTest<EmailStudioFactory>(factory)
{
    private const string Dispatcher = "Studio.Modules.Email.Outbox.EmailDispatcher";
    private static readonly string[] EmailFeature = ["Studio.Email"];

    private static object Smtp(SmtpTestServer server, string? name = null) => new
    {
        Kind = "Smtp", Name = name, Host = "127.0.0.1", server.Port, Tls = "None",
        User = server.User ?? "", Password = server.Password ?? "", Timeout = "00:00:10",
    };

    private async Task<TestTenant> EmailTenantAsync(params object[] providers)
    {
        var tenant = await CreateTenantAsync(EmailFeature, r => r with
        {
            DisplayName = "Blue Room Studio",
            Culture = "en-GB",
            Brand = new BrandSettings { DisplayName = "Blue Room", PrimaryColor = "#123abc" },
        });
        var json = JsonSerializer.Serialize(new { Email = new { FromAddress = "hello@blueroom.test", Providers = providers } });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = json });
        return tenant;
    }

    /// <summary>Runs <paramref name="work"/> in a scope of the tenant's own container.</summary>
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

    private Task<EmailMessage> InvitationAsync(TestTenant tenant, string to = "ana@example.test", string? culture = null) =>
        InTenantAsync(tenant, sp => Task.FromResult(sp.GetRequiredService<IEmailTemplates>().Render(EmailTemplates.Invitation, to, "Ana Díaz", culture,
            new Dictionary<string, string> { ["inviter"] = "<Eve & co>", ["link"] = "https://blueroom.test/invite?code=a1&x=2" })));

    private Task EnqueueAsync(TestTenant tenant, EmailMessage message) =>
        InTenantAsync(tenant, async sp => { await sp.GetRequiredService<IEmailOutbox>().EnqueueAsync(message); return 0; });

    private Task<int> DispatchAsync(TestTenant tenant, TimeProvider clock) =>
        InTenantAsync(tenant, sp => ActivatorUtilities.CreateInstance<EmailDispatcher>(sp, clock).DispatchAsync());

    private Task<IReadOnlyList<OutboxEntry>> OutboxAsync(TestTenant tenant) =>
        InTenantAsync(tenant, sp => sp.GetRequiredService<EmailOutbox>().ListAsync());

    [Fact]
    public async Task A_queued_invitation_is_delivered_over_SMTP_branded_encoded_and_in_the_recipients_language()
    {
        await using var server = new SmtpTestServer();
        var tenant = await EmailTenantAsync(Smtp(server));
        var message = await InvitationAsync(tenant, culture: "fr-FR");
        await EnqueueAsync(tenant, message);
        await EnqueueAsync(tenant, message); // the same id again: still one message

        Assert.Equal(1, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));

        var received = Assert.Single(server.Messages);
        Assert.Equal("Blue Room", received.From.Mailboxes.Single().Name);
        Assert.Equal("hello@blueroom.test", received.From.Mailboxes.Single().Address);
        Assert.Equal("ana@example.test", received.To.Mailboxes.Single().Address);
        Assert.Equal("Ana Díaz", received.To.Mailboxes.Single().Name);
        Assert.Equal($"{message.Id:D}@blueroom.test", received.MessageId);
        Assert.Equal("<Eve & co> vous invite chez Blue Room", received.Subject);
        var html = received.HtmlBody;
        Assert.Contains("background:#123abc", html);
        Assert.Contains("lang=\"fr-FR\"", html);
        Assert.Contains("&lt;Eve &amp; co&gt; vous invite à rejoindre Blue Room", html);
        Assert.Contains("href=\"https://blueroom.test/invite?code=a1&amp;x=2\"", html);
        Assert.DoesNotContain("<Eve", html);
        Assert.Contains("Accepter l’invitation : https://blueroom.test/invite?code=a1&x=2", received.TextBody);
        Assert.Contains("Vous recevez cet e-mail de la part de Blue Room.", received.TextBody);

        var entry = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal((OutboxStatus.Sent, 1, null), (entry.Status, entry.Attempts, entry.LastError));
        // Without a culture of their own, recipients get the tenant's (en-GB): the built-in English wording.
        var english = await InvitationAsync(tenant);
        Assert.Equal("<Eve & co> invited you to Blue Room", english.Subject);
        Assert.Contains("lang=\"en-GB\"", english.HtmlBody);
        Assert.Contains("You receive this email from Blue Room.", english.TextBody);
        Assert.Equal(0, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(1))));
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task A_tenant_words_a_template_its_own_way_and_values_are_still_encoded()
    {
        var tenant = await CreateTenantAsync(EmailFeature, r => r with { Brand = new BrandSettings { DisplayName = "Echo Chamber" } });
        var json = JsonSerializer.Serialize(new { Email = new { Templates = new Dictionary<string, object>
        {
            ["invitation"] = new { Subject = "Come record with {{studio}}", Html = "<p>{{inviter}} saved you a seat: <a href=\"{{link}}\">join</a></p>" },
        } } });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = json });

        var message = await InvitationAsync(tenant);

        Assert.Equal("Come record with Echo Chamber", message.Subject);
        Assert.Contains("<p>&lt;Eve &amp; co&gt; saved you a seat: <a href=\"https://blueroom.test/invite?code=a1&amp;x=2\">join</a></p>", message.HtmlBody);
        // The text part was not overridden: the built-in wording.
        Assert.Contains("<Eve & co> invited you to join Echo Chamber.", message.TextBody);
    }

    [Fact]
    public async Task During_an_outage_the_message_waits_with_growing_backoff_and_is_delivered_once_the_server_is_back()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, "provider failed: .*ConnectionRefused");
        ExpectLog(Dispatcher, LogLevel.Warning, @"not delivered \(attempt [12]\)");
        await using var server = new SmtpTestServer();
        await server.StopAsync();
        var tenant = await EmailTenantAsync(Smtp(server));
        await EnqueueAsync(tenant, await InvitationAsync(tenant));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(0, await DispatchAsync(tenant, clock));
        var first = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal((OutboxStatus.Pending, 1), (first.Status, first.Attempts));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(30), first.NextAttemptUtc, TimeSpan.FromMilliseconds(1));
        Assert.Contains("ConnectionRefused", first.LastError);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await DispatchAsync(tenant, clock));
        var second = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal(2, second.Attempts);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(60), second.NextAttemptUtc, TimeSpan.FromMilliseconds(1));

        server.Restart(); // the relay is back, but the message is not due yet
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await DispatchAsync(tenant, clock));
        Assert.Empty(server.Messages);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DispatchAsync(tenant, clock));

        Assert.Single(server.Messages);
        var sent = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal((OutboxStatus.Sent, 3), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task A_message_refused_with_try_again_later_gives_up_after_the_tenants_max_attempts()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, "provider failed: .*451");
        ExpectLog(Dispatcher, LogLevel.Warning, @"not delivered \(attempt 1\)");
        ExpectLog(Dispatcher, LogLevel.Error, "failed permanently after 2 attempts");
        await using var server = new SmtpTestServer { RefuseWith = 451 };
        var tenant = await CreateTenantAsync(EmailFeature);
        var json = JsonSerializer.Serialize(new { Email = new { MaxAttempts = 2, RetryDelay = "00:01:00", Providers = new[] { Smtp(server) } } });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = json });
        await EnqueueAsync(tenant, await InvitationAsync(tenant));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(0, await DispatchAsync(tenant, clock));
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddMinutes(1), Assert.Single(await OutboxAsync(tenant)).NextAttemptUtc, TimeSpan.FromMilliseconds(1));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await DispatchAsync(tenant, clock));
        server.RefuseWith = null;
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await DispatchAsync(tenant, clock));

        Assert.Empty(server.Messages);
        var entry = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal((OutboxStatus.Failed, 2), (entry.Status, entry.Attempts));
    }

    [Fact]
    public async Task A_message_every_relay_refuses_for_good_is_marked_failed_and_not_tried_again()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, "provider failed: .*550");
        ExpectLog(Dispatcher, LogLevel.Error, "failed permanently after 1 attempts");
        await using var server = new SmtpTestServer { RefuseWith = 550 };
        var tenant = await EmailTenantAsync(Smtp(server));
        await EnqueueAsync(tenant, await InvitationAsync(tenant));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        Assert.Equal(0, await DispatchAsync(tenant, clock));
        server.RefuseWith = null;
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await DispatchAsync(tenant, clock));

        Assert.Empty(server.Messages);
        var entry = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal((OutboxStatus.Failed, 1), (entry.Status, entry.Attempts));
        Assert.Contains("550", entry.LastError);
    }

    [Fact]
    public async Task When_the_first_relay_is_down_the_second_delivers()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, "provider failed: primary: SocketException ConnectionRefused");
        await using var primary = new SmtpTestServer();
        await using var fallback = new SmtpTestServer();
        await primary.StopAsync();
        var tenant = await EmailTenantAsync(Smtp(primary, "primary"), Smtp(fallback, "fallback"));
        var message = await InvitationAsync(tenant);
        await EnqueueAsync(tenant, message);

        Assert.Equal(1, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));

        Assert.Equal($"{message.Id:D}@blueroom.test", Assert.Single(fallback.Messages).MessageId);
        var entry = Assert.Single(await OutboxAsync(tenant));
        Assert.Equal((OutboxStatus.Sent, "fallback"), (entry.Status, entry.Provider));
        Assert.Contains("primary", entry.LastError);
    }

    [Fact]
    public async Task When_the_relay_is_down_the_pickup_folder_receives_an_eml_file()
    {
        ExpectLog(Dispatcher, LogLevel.Warning, "provider failed: primary");
        await using var primary = new SmtpTestServer();
        await primary.StopAsync();
        var tenant = await EmailTenantAsync(Smtp(primary, "primary"), new { Kind = "Pickup", Directory = "outgoing" });
        var message = await InvitationAsync(tenant);
        await EnqueueAsync(tenant, message);

        Assert.Equal(1, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));

        var folder = Path.Combine(Factory.DataPath, "Sites", tenant.Name, "outgoing");
        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.EndsWith(".eml", file);
        var written = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.Equal($"{message.Id:D}@blueroom.test", written.MessageId);
        Assert.Equal("pickup", Assert.Single(await OutboxAsync(tenant)).Provider);
    }

    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Studio//Tests//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:bk-1@studio.test\r\nDTSTAMP:20261124T120000Z\r\nDTSTART:20261201T090000Z\r\nDTEND:20261201T110000Z\r\nSUMMARY:Mixing – Room A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Fact]
    public async Task Attachments_are_stored_with_the_message_and_delivered_over_SMTP_and_to_the_pickup_folder()
    {
        await using var server = new SmtpTestServer();
        var tenant = await EmailTenantAsync(Smtp(server));
        var ics = System.Text.Encoding.UTF8.GetBytes(Ics);
        var pdf = new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x00, 0xFF, 0x10 };
        var message = (await InvitationAsync(tenant)) with
        {
            Attachments = [new("session.ics", "text/calendar; method=REQUEST; charset=utf-8", ics), new("terms.pdf", "application/pdf", pdf)],
        };
        await EnqueueAsync(tenant, message);
        Assert.Equal(1, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));

        var received = Assert.Single(server.Messages);
        Assert.Equal("Blue Room", received.From.Mailboxes.Single().Name); // the body is still there, around the files
        Assert.Contains("Accept the invitation", received.TextBody);
        var files = received.Attachments.OfType<MimeKit.MimePart>().ToList();
        Assert.Equal(["session.ics", "terms.pdf"], files.Select(f => f.FileName));
        Assert.Equal("text/calendar", files[0].ContentType.MimeType);
        Assert.Equal("REQUEST", files[0].ContentType.Parameters["method"]);
        Assert.Equal(ics, Content(files[0]));
        Assert.Equal(pdf, Content(files[1]));

        // The same message through the pickup provider: the .eml file carries the files too.
        var pickup = await EmailTenantAsync(new { Kind = "Pickup", Directory = "outgoing" });
        await EnqueueAsync(pickup, message);
        Assert.Equal(1, await DispatchAsync(pickup, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        var written = await MimeKit.MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(Path.Combine(Factory.DataPath, "Sites", pickup.Name, "outgoing"))));
        Assert.Equal(ics, Content(written.Attachments.OfType<MimeKit.MimePart>().Single(f => f.FileName == "session.ics")));
    }

    [Fact]
    public async Task An_attachment_that_cannot_be_sent_is_refused_when_queued_and_nothing_is_stored()
    {
        var tenant = await EmailTenantAsync(new { Kind = "Pickup", Directory = "outgoing" });
        var message = await InvitationAsync(tenant);
        EmailAttachment[][] bad =
        [
            [new("../etc/passwd", "text/plain", [1])],
            [new("", "text/plain", [1])],
            [new("a.ics", "not a type", [1])],
            [new("a.ics", "text/calendar", [])],
            [new("big.bin", "application/octet-stream", new byte[2 * 1024 * 1024 + 1])],
        ];
        foreach (var attachments in bad)
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => EnqueueAsync(tenant, message with { Id = Guid.NewGuid(), Attachments = attachments }));
            Assert.Contains("attachment", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Empty(await OutboxAsync(tenant));
    }

    private static byte[] Content(MimeKit.MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public async Task Two_concurrent_dispatchers_send_every_message_exactly_once()
    {
        await using var server = new SmtpTestServer();
        var tenant = await EmailTenantAsync(Smtp(server));
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var message = await InvitationAsync(tenant, $"guest{i}@example.test");
            ids.Add(message.Id);
            await EnqueueAsync(tenant, message);
        }
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => DispatchAsync(tenant, clock))));

        Assert.Equal(12, runs.Sum());
        Assert.Equal(ids.Select(id => $"{id:D}@blueroom.test").Order(), server.Messages.Select(m => m.MessageId).Order());
        Assert.All(await OutboxAsync(tenant), e => Assert.Equal((OutboxStatus.Sent, 1), (e.Status, e.Attempts)));
    }

    [Fact]
    public async Task A_claimed_message_is_left_alone_until_its_lease_ends_then_taken_over()
    {
        await using var server = new SmtpTestServer();
        var tenant = await EmailTenantAsync(Smtp(server));
        var message = await InvitationAsync(tenant);
        await EnqueueAsync(tenant, message);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Another dispatcher claimed it and then died (its process stopped before it could mark the row).
        await InTenantAsync(tenant, async sp =>
        {
            var database = sp.GetRequiredService<ITenantDatabase>();
            await using var connection = await database.OpenConnectionAsync();
            return await connection.ExecuteAsync(
                "UPDATE email_outbox SET status = 'sending', attempts = 1, claimed_until_utc = @until WHERE message_id = @id",
                new { id = message.Id.ToString("D"), until = OutboxTime.Param(database.Dialect, clock.GetUtcNow() + EmailDispatcher.Lease) });
        });

        Assert.Equal(0, await DispatchAsync(tenant, clock));
        clock.Advance(EmailDispatcher.Lease - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await DispatchAsync(tenant, clock));
        Assert.Empty(server.Messages);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DispatchAsync(tenant, clock));

        Assert.Single(server.Messages);
        Assert.Equal((OutboxStatus.Sent, 2), Assert.Single(await OutboxAsync(tenant)) is var e ? (e.Status, e.Attempts) : default);
    }

    [Fact]
    public async Task The_SMTP_password_never_reaches_the_log_nor_the_outbox()
    {
        const string password = "pl4nted-Secret-9x7Q";
        ExpectLog(Dispatcher, LogLevel.Warning, "authentication refused");
        ExpectLog(Dispatcher, LogLevel.Warning, "not delivered");
        await using var server = new SmtpTestServer("studio", password);
        var good = await EmailTenantAsync(Smtp(server));
        var wrong = await EmailTenantAsync(new { Kind = "Smtp", Host = "127.0.0.1", server.Port, Tls = "None", User = "studio", Password = password + "-old" });
        await EnqueueAsync(good, await InvitationAsync(good));
        await EnqueueAsync(wrong, await InvitationAsync(wrong));

        Assert.Equal(1, await DispatchAsync(good, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Equal(0, await DispatchAsync(wrong, new FakeTimeProvider(DateTimeOffset.UtcNow)));

        Assert.Single(server.Messages);
        Assert.Equal(1, server.FailedLogins);
        var entries = TestLogs.Where(e => e.Category.StartsWith("Studio", StringComparison.Ordinal) || e.Exception is not null).ToList();
        Assert.Contains(entries, e => e.Message.Contains("delivered by", StringComparison.Ordinal));
        Assert.All(TestLogs, e => Assert.DoesNotContain(password, e.ToString() + e.Exception));
        Assert.DoesNotContain(password, Assert.Single(await OutboxAsync(wrong)).LastError);
    }

    [Fact]
    public async Task A_message_queued_in_a_rolled_back_transaction_does_not_exist_and_a_committed_one_does()
    {
        await using var server = new SmtpTestServer();
        var tenant = await EmailTenantAsync(Smtp(server));
        var rolledBack = await InvitationAsync(tenant, "rolled@example.test");
        var committed = await InvitationAsync(tenant, "committed@example.test");
        await InTenantAsync(tenant, async sp =>
        {
            var database = sp.GetRequiredService<ITenantDatabase>();
            var outbox = sp.GetRequiredService<IEmailOutbox>();
            foreach (var (message, commit) in new[] { (rolledBack, false), (committed, true) })
            {
                await using var connection = await database.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await outbox.EnqueueAsync(message, transaction);
                if (commit)
                    await transaction.CommitAsync();
                else
                    await transaction.RollbackAsync();
            }
            return 0;
        });

        Assert.Equal(1, await DispatchAsync(tenant, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Equal("committed@example.test", Assert.Single(server.Messages).To.Mailboxes.Single().Address);
        Assert.Equal(committed.Id, Assert.Single(await OutboxAsync(tenant)).MessageId);
    }

    [Fact]
    public async Task Tenant_A_outbox_is_invisible_to_tenant_B()
    {
        await using var server = new SmtpTestServer();
        var a = await EmailTenantAsync(Smtp(server));
        var b = await EmailTenantAsync(Smtp(server));
        await EnqueueAsync(a, await InvitationAsync(a));

        Assert.Empty(await OutboxAsync(b));
        Assert.Equal(0, await DispatchAsync(b, new FakeTimeProvider(DateTimeOffset.UtcNow)));
        Assert.Empty(server.Messages);
        var count = await InTenantAsync(b, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM email_outbox");
        });
        Assert.Equal(0L, count);
        Assert.Single(await OutboxAsync(a));
    }
}

/// <summary>A host whose email pump runs (hourly rounds), so only the attempt made right after queueing can deliver.</summary>
public sealed class EmailPumpStudioFactory : StudioFactory
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:Email:PollInterval"] = "01:00:00";
        settings["Studio:Email:FromAddress"] = "no-reply@studio.test";
        return settings;
    }
}

/// <summary>The tenant's background pump delivers a message queued outside a transaction at once.</summary>
public sealed class EmailPumpTests(EmailPumpStudioFactory factory) : StudioTest<EmailPumpStudioFactory>(factory)
{
    [Fact]
    public async Task A_message_queued_on_an_active_tenant_is_delivered_without_anyone_calling_the_dispatcher()
    {
        await using var server = new SmtpTestServer();
        var tenant = await CreateTenantAsync(["Studio.Email"]);
        var json = JsonSerializer.Serialize(new { Email = new { Providers = new[] { new { Kind = "Smtp", Host = "127.0.0.1", server.Port, Tls = "None" } } } });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = json });
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[tenant.Name], CancellationToken.None);
        EmailMessage message;
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            message = scope.ServiceProvider.GetRequiredService<IEmailTemplates>().Render(EmailTemplates.MagicLink, "bo@example.test", "Bo", null,
                new Dictionary<string, string> { ["link"] = "https://x.test/magic?t=1", ["minutes"] = "15" });
            await scope.ServiceProvider.GetRequiredService<IEmailOutbox>().EnqueueAsync(message);
        }
        finally { shell.Leave(); }

        await Eventually.TrueAsync(() => server.Messages.Count == 1, "the pump delivered the message");
        var received = server.Messages.Single();
        Assert.Equal($"{message.Id:D}@studio.test", received.MessageId);
        Assert.Equal($"Your sign-in link for {tenant.Name}", received.Subject);
        Assert.Contains("for 15 minutes", received.TextBody);
    }
}
