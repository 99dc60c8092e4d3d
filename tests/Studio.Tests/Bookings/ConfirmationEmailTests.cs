using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Studio.Bookings;
using Studio.Events;
using Studio.Modules.Bookings.Services.Portal;
using Studio.Modules.Email.Outbox;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Bookings;

/// <summary>The client's confirmation e-mail for a confirmed booking: content, the .ics attachment, idempotent delivery.</summary>
public sealed class ConfirmationEmailTests(EmailStudioFactory factory) : StudioTest<EmailStudioFactory>(factory)
{
    private static BookingConfirmed Event(string? email = "nina@example.test") => new()
    {
        BookingId = 7, Reference = "BK-7Q4M2X", ClientId = 3, ClientName = "Nina <Simone>", ClientEmail = email, ClientCulture = "en-GB",
        ServiceName = "Recording session", RoomName = "Studio A",
        StartUtc = new DateTime(2026, 7, 14, 12, 0, 0, DateTimeKind.Utc), EndUtc = new DateTime(2026, 7, 14, 16, 0, 0, DateTimeKind.Utc),
        TimeZone = "Europe/Paris", Total = 180m, Deposit = 54m, Currency = "EUR",
    };

    [Fact]
    public async Task A_confirmed_booking_queues_one_mail_with_an_ics_whatever_the_number_of_deliveries()
    {
        var tenant = await CreateTenantAsync(["Studio.Bookings", "Studio.Email"], r => r with { DisplayName = "Blue Room", Culture = "en-GB", TimeZone = "Europe/Paris" });
        var eventId = Guid.NewGuid();
        var message = await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            Assert.Contains(sp.GetServices<EventSubscription>(), s => s.HandlerType == typeof(BookingConfirmationEmail) && s.EventType == typeof(BookingConfirmed));
            var handler = sp.GetRequiredService<BookingConfirmationEmail>();
            await handler.HandleAsync(Event(), new EventContext(eventId, "bookings.booking-confirmed.v1", DateTime.UtcNow, 1), CancellationToken.None);
            await handler.HandleAsync(Event(), new EventContext(eventId, "bookings.booking-confirmed.v1", DateTime.UtcNow, 2), CancellationToken.None);
            return handler.Compose(Event(), eventId, new DateTime(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc));
        });
        var outbox = await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<EmailOutbox>().ListAsync());
        var queued = Assert.Single(outbox);
        Assert.Equal(eventId, queued.MessageId);
        Assert.Equal("nina@example.test", queued.To);
        Assert.Equal("Your booking BK-7Q4M2X at Blue Room is confirmed", queued.Subject);

        Assert.Contains("Nina &lt;Simone&gt;", message.HtmlBody); // values are encoded
        Assert.Contains("14:00–18:00", message.TextBody); // 12:00 UTC is 14:00 in Paris in July
        Assert.Contains("€180.00", message.TextBody);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("BK-7Q4M2X.ics", attachment.FileName);
        Assert.StartsWith("text/calendar", attachment.ContentType);
        var ics = Encoding.UTF8.GetString(attachment.Content);
        Assert.Contains("BEGIN:VCALENDAR", ics);
        Assert.Contains("METHOD:PUBLISH", ics);
        Assert.Contains("DTSTART:20260714T120000Z", ics);
        Assert.Contains("DTEND:20260714T160000Z", ics);
        Assert.Contains("DTSTAMP:20260601T080000Z", ics);
        Assert.Contains($"UID:BK-7Q4M2X@{tenant.Name}.studio", ics);
        var calendar = Ical.Net.Calendar.Load(ics);
        var session = Assert.Single(calendar!.Events);
        Assert.Equal("Recording session – Blue Room", session.Summary);
        Assert.Equal("Studio A, Blue Room", session.Location);
    }

    [Fact]
    public async Task Booking_for_a_client_delivers_the_event_and_queues_the_mail_with_its_ics_stored()
    {
        var tenant = await CreateTenantAsync(["Studio.Bookings", "Studio.Email"], r => r with { DisplayName = "Blue Room", Culture = "en-GB", TimeZone = "Europe/Paris" });
        var s = await PortalTests.SetUpAsync(Factory, tenant);
        var booking = await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            var client = await sp.GetRequiredService<Studio.Modules.Bookings.Services.Clients.IClientDirectory>().SaveAsync(
                new Studio.Modules.Bookings.Data.Client { Name = "Nina Simone", Email = "nina@example.test" }, Studio.Audit.AuditActor.System);
            var time = sp.GetRequiredService<TenantTime>();
            return await sp.GetRequiredService<Studio.Modules.Bookings.Services.Engine.IBookingEngine>().BookAsync(new Studio.Modules.Bookings.Services.Engine.BookingRequest
            {
                ServiceId = s.ServiceId, RoomId = s.RoomId, ClientId = client.Id, Units = 2,
                StartUtc = time.ToUtc(s.Day.ToDateTime(new TimeOnly(14, 0)), "gap"),
            }, Studio.Audit.AuditActor.System);
        });
        // The host's event dispatcher delivers BookingConfirmed to the handler, which queues the mail.
        var queued = await Eventually.ResultAsync(() => Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<EmailOutbox>().ListAsync()),
            list => list.Count > 0, "the confirmation e-mail to be queued", TimeSpan.FromSeconds(30));
        var mail = Assert.Single(queued);
        Assert.Equal("nina@example.test", mail.To);
        Assert.Equal($"Your booking {booking.Reference} at Blue Room is confirmed", mail.Subject);
        var stored = await ClientDirectoryTests.CountAsync(Factory, tenant.Name,
            $"SELECT COUNT(*) FROM email_outbox WHERE attachments LIKE '%{booking.Reference}.ics%' AND attachments LIKE '%text/calendar%'");
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task A_booking_without_a_client_address_sends_nothing_and_without_email_feature_nothing_subscribes()
    {
        var tenant = await CreateTenantAsync(["Studio.Bookings", "Studio.Email"]);
        await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            await sp.GetRequiredService<BookingConfirmationEmail>().HandleAsync(Event(email: null),
                new EventContext(Guid.NewGuid(), "bookings.booking-confirmed.v1", DateTime.UtcNow, 1), CancellationToken.None);
            return 0;
        });
        Assert.Empty(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<EmailOutbox>().ListAsync()));

        var plain = await CreateTenantAsync(["Studio.Bookings"]);
        Assert.DoesNotContain(await Factory.InTenantAsync(plain.Name, sp => Task.FromResult(sp.GetServices<EventSubscription>().ToList())),
            s => s.HandlerType == typeof(BookingConfirmationEmail));
    }
}
