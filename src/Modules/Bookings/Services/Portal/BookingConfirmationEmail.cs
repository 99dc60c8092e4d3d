using System.Globalization;
using System.Net;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Studio.Bookings;
using Studio.Email;
using Studio.Events;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>
/// Sends the client a confirmation e-mail with the session as an <c>.ics</c> attachment when a booking is confirmed.
/// Idempotent: the message id is the event id, and the outbox keeps one message per id, so a repeated delivery of
/// the event queues nothing new.
/// </summary>
public sealed class BookingConfirmationEmail(IEmailOutbox outbox, TenantContext tenant, IStringLocalizer<BookingConfirmationEmail> localizer,
    ILogger<BookingConfirmationEmail> logger) : IEventHandler<BookingConfirmed>
{
    public async Task HandleAsync(BookingConfirmed @event, EventContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(@event.ClientEmail))
        {
            logger.LogInformation("Booking {Reference} confirmed without a client e-mail address: no confirmation sent.", @event.Reference);
            return;
        }
        var message = Compose(@event, context.EventId, context.OccurredUtc);
        await outbox.EnqueueAsync(message, null, cancellationToken);
    }

    /// <summary>The message for <paramref name="event"/>, in the client's culture (else the tenant's).</summary>
    public EmailMessage Compose(BookingConfirmed @event, Guid messageId, DateTime occurredUtc)
    {
        var culture = Culture(@event.ClientCulture) ?? Culture(tenant.Culture) ?? CultureInfo.InvariantCulture;
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var zone = Engine.LocalTime.Zone(@event.TimeZone);
            var start = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(@event.StartUtc, DateTimeKind.Utc), zone);
            var end = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(@event.EndUtc, DateTimeKind.Utc), zone);
            var when = start.ToString("D", culture) + " " + start.ToString("t", culture) + "–" + end.ToString("t", culture) + " (" + zone.Id + ")";
            var studio = tenant.Brand.DisplayName.Length > 0 ? tenant.Brand.DisplayName : tenant.DisplayName;
            var what = @event.ServiceName ?? localizer["Session"].Value;
            var name = @event.ClientName ?? "";
            var subject = localizer["Your booking {0} at {1} is confirmed", @event.Reference, studio].Value;
            var lines = new List<(string Label, string Value)>
            {
                (localizer["Booking"].Value, @event.Reference),
                (localizer["Service"].Value, what),
                (localizer["When"].Value, when),
            };
            if (!string.IsNullOrWhiteSpace(@event.RoomName))
                lines.Add((localizer["Room"].Value, @event.RoomName));
            lines.Add((localizer["Price"].Value, Studio.Currencies.Money.Of(@event.Total, @event.Currency).ToString()));
            if (@event.Deposit > 0)
                lines.Add((localizer["Deposit"].Value, Studio.Currencies.Money.Of(@event.Deposit, @event.Currency).ToString()));
            var greeting = localizer["Hello {0},", name].Value;
            var intro = localizer["your session at {0} is confirmed. The attached calendar file adds it to your calendar.", studio].Value;

            var html = new StringBuilder("<!DOCTYPE html><html lang=\"").Append(WebUtility.HtmlEncode(culture.Name)).Append("\"><body>")
                .Append("<p>").Append(WebUtility.HtmlEncode(greeting)).Append("</p><p>").Append(WebUtility.HtmlEncode(intro)).Append("</p><table>");
            foreach (var (label, value) in lines)
                html.Append("<tr><th align=\"left\">").Append(WebUtility.HtmlEncode(label)).Append("</th><td>").Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
            html.Append("</table><p>").Append(WebUtility.HtmlEncode(localizer["You receive this email from {0}.", studio].Value)).Append("</p></body></html>");
            var text = new StringBuilder(greeting).Append("\n\n").Append(intro).Append("\n\n");
            foreach (var (label, value) in lines)
                text.Append(label).Append(": ").Append(value).Append('\n');

            var ics = Ics(@event, studio, what, occurredUtc);
            return new EmailMessage(messageId, @event.ClientEmail!, name, subject, html.ToString(), text.ToString())
            {
                Attachments = [new EmailAttachment(@event.Reference + ".ics", "text/calendar; method=PUBLISH; charset=utf-8", Encoding.UTF8.GetBytes(ics))],
            };
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
            CultureInfo.CurrentUICulture = previousUi;
        }
    }

    /// <summary>An RFC 5545 calendar with the session (UTC times; UID stable per booking, so a later update replaces it; DTSTAMP when the event occurred).</summary>
    public string Ics(BookingEventBase @event, string studio, string what, DateTime stampUtc)
    {
        var calendar = new Ical.Net.Calendar { Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", studio);
        var session = new CalendarEvent
        {
            Uid = $"{@event.Reference}@{tenant.Name}.studio",
            DtStamp = new CalDateTime(DateTime.SpecifyKind(stampUtc, DateTimeKind.Utc)),
            DtStart = new CalDateTime(DateTime.SpecifyKind(@event.StartUtc, DateTimeKind.Utc)),
            DtEnd = new CalDateTime(DateTime.SpecifyKind(@event.EndUtc, DateTimeKind.Utc)),
            Summary = $"{what} – {studio}",
            Location = string.IsNullOrWhiteSpace(@event.RoomName) ? studio : $"{@event.RoomName}, {studio}",
            Description = localizer["Booking {0}", @event.Reference].Value,
        };
        calendar.Events.Add(session);
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CultureInfo? Culture(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        try { return CultureInfo.GetCultureInfo(name); }
        catch (CultureNotFoundException) { return null; }
    }
}
