using Microsoft.Extensions.Localization;
using Studio.Currencies;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>
/// Prices from the catalogue (see the module README, "Pricing"):
/// <list type="bullet">
/// <item><c>fixed</c>: the service's price, once.</item>
/// <item><c>per_hour</c>: the service's price per started hour.</item>
/// <item><c>room_rate</c>: the room's tiered rates. The half-day rate (a 4-hour block) is available from 4 hours
/// booked, the full-day rate (an 8-hour block) from 8 hours booked. Of every combination of full days, half days and
/// hourly time (charged pro rata to the minute) that covers the session, the cheapest is charged; once a tier is
/// available a block may cover fewer hours than its length when that is cheaper (so 11 h never costs more than
/// 12 h), but a tier never applies to a session shorter than its threshold.</item>
/// </list>
/// Amounts are rounded by <see cref="Money.RoundAmount"/> (the currency's minor unit, half away from zero); the deposit is the total × the client's
/// default deposit percentage when it has one, else the service's.
/// </summary>
public sealed class BookingPricing(IStringLocalizer<BookingPricing> localizer) : IBookingPricing
{
    /// <summary>Length of a half-day block and the threshold from which it applies.</summary>
    public const int HalfDayMinutes = 4 * 60;

    /// <summary>Length of a full-day block and the threshold from which it applies.</summary>
    public const int FullDayMinutes = 8 * 60;

    public PriceQuote Quote(StudioService service, Room? room, DateTime startUtc, DateTime endUtc, Client? client, BookingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(policy);
        if (endUtc <= startUtc)
            throw new BookingValidationException(localizer["The session must end after it starts."]);
        var minutes = (long)Math.Ceiling((endUtc - startUtc).TotalMinutes);
        var currency = policy.Currency;
        var lines = new List<string>();
        decimal total;
        switch (service.PriceKind)
        {
            case PriceKinds.Fixed:
                total = service.Price;
                lines.Add(localizer["{0}: fixed price", service.Name]);
                break;
            case PriceKinds.PerHour:
                var hours = (minutes + 59) / 60;
                total = service.Price * hours;
                lines.Add(localizer["{0}: {1} h × {2}", service.Name, hours, Money.Of(service.Price, currency)]);
                break;
            case PriceKinds.RoomRate:
                if (room is null)
                    throw new BookingValidationException(localizer["This service is priced at the room's rates: choose a room."], "RoomId");
                var tiered = RoomPrice(room, minutes, currency);
                total = tiered.Total;
                if (tiered.FullDays > 0)
                    lines.Add(localizer["Full day (8 h) × {0} at {1}", tiered.FullDays, Money.Of(room.FullDayRate ?? 0, currency)]);
                if (tiered.HalfDays > 0)
                    lines.Add(localizer["Half day (4 h) × {0} at {1}", tiered.HalfDays, Money.Of(room.HalfDayRate ?? 0, currency)]);
                if (tiered.HourlyMinutes > 0)
                    lines.Add(localizer["{0} h at {1} an hour", (tiered.HourlyMinutes / 60m).ToString("0.##", System.Globalization.CultureInfo.CurrentCulture), Money.Of(room.HourlyRate, currency)]);
                break;
            default:
                throw new BookingValidationException(localizer["The service has an unknown price kind."]);
        }
        total = Money.RoundAmount(total, currency);
        var percent = client?.DefaultDepositPercent ?? service.DepositPercent;
        percent = Math.Clamp(percent, 0, 100);
        var deposit = Money.RoundAmount(total * percent / 100m, currency);
        return new PriceQuote(total, deposit, percent, currency, lines);
    }

    /// <summary>The tiered room price of a session of <paramref name="minutes"/> (before rounding to the minor unit).</summary>
    public static TieredPrice RoomPrice(Room room, long minutes, string currency = "EUR")
    {
        ArgumentNullException.ThrowIfNull(room);
        if (minutes <= 0)
            return new TieredPrice(0, 0, 0, 0);
        var maxFull = room.FullDayRate is not null && minutes >= FullDayMinutes ? (minutes + FullDayMinutes - 1) / FullDayMinutes : 0;
        TieredPrice? best = null;
        for (long full = 0; full <= maxFull; full++)
        {
            var afterFull = Math.Max(0, minutes - full * FullDayMinutes);
            var maxHalf = room.HalfDayRate is not null && minutes >= HalfDayMinutes ? (afterFull + HalfDayMinutes - 1) / HalfDayMinutes : 0;
            for (long half = 0; half <= maxHalf; half++)
            {
                var hourly = Math.Max(0, afterFull - half * HalfDayMinutes);
                var price = full * (room.FullDayRate ?? 0) + half * (room.HalfDayRate ?? 0) + Money.RoundAmount(room.HourlyRate * hourly / 60m, currency);
                // Cheapest wins; on a tie, the fewest blocks (the simplest bill).
                if (best is null || price < best.Total || (price == best.Total && full + half < best.FullDays + best.HalfDays))
                    best = new TieredPrice(price, (int)full, (int)half, hourly);
            }
        }
        return best!;
    }
}

/// <summary>A tiered room price: the total and how it is made up.</summary>
public sealed record TieredPrice(decimal Total, int FullDays, int HalfDays, long HourlyMinutes);
