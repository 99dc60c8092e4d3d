using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Tests;

/// <summary>Prices from the catalogue: fixed, per started hour, and the room's tiered rates (cheapest combination).</summary>
public sealed class BookingsPricingTests
{
    private static readonly BookingPricing Pricing = new(new StringLocalizer<BookingPricing>(
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance)));

    private static readonly DateTime Start = new(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc);
    private static readonly BookingPolicy Policy = new();
    private static readonly Room Room = new() { Name = "A", HourlyRate = 50m, HalfDayRate = 180m, FullDayRate = 320m };
    private static readonly StudioService RoomRate = new() { Name = "Recording", PriceKind = PriceKinds.RoomRate, DepositPercent = 30 };

    private static PriceQuote Quote(double hours, Room? room = null, StudioService? service = null, Client? client = null, BookingPolicy? policy = null) =>
        Pricing.Quote(service ?? RoomRate, room ?? Room, Start, Start.AddHours(hours), client, policy ?? Policy);

    [Theory]
    [InlineData(1)]
    [InlineData(3.5)]
    [InlineData(4)]
    [InlineData(6.25)]
    [InlineData(7.5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(13.5)]
    [InlineData(20)]
    [InlineData(30)]
    public void Room_rates_match_a_brute_force_search_over_the_rule(double hours) =>
        Assert.Equal(Cheapest(hours), BookingPricing.RoomPrice(Room, (long)(hours * 60)).Total);

    /// <summary>Brute force over the rule: tiers only from their threshold, blocks may overshoot once available.</summary>
    private static decimal Cheapest(double hours)
    {
        var minutes = (long)(hours * 60);
        var best = decimal.MaxValue;
        for (var full = 0; full <= (minutes >= 480 ? 10 : 0); full++)
            for (var half = 0; half <= (minutes >= 240 ? 10 : 0); half++)
            {
                var rest = Math.Max(0, minutes - full * 480 - half * 240);
                best = Math.Min(best, full * 320m + half * 180m + Math.Round(50m * rest / 60m, 2, MidpointRounding.AwayFromZero));
            }
        return best;
    }

    [Theory]
    [InlineData(1, "50")]
    [InlineData(3.5, "175")]
    [InlineData(4, "180")]
    [InlineData(5, "230")]
    [InlineData(7.5, "355")]
    [InlineData(8, "320")]
    [InlineData(9, "370")]
    [InlineData(11, "470")]
    [InlineData(12, "500")]
    [InlineData(15, "640")]
    [InlineData(16, "640")]
    public void Worked_examples(double hours, string total)
    {
        var quote = Quote(hours);
        Assert.Equal(decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture), quote.Total);
        Assert.Equal("EUR", quote.Currency);
        Assert.NotEmpty(quote.Lines);
    }

    [Fact]
    public void Without_tier_rates_a_room_is_hourly()
    {
        var hourlyOnly = Room with { HalfDayRate = null, FullDayRate = null };
        Assert.Equal(500m, Quote(10, hourlyOnly).Total);
        Assert.Equal(new TieredPrice(500m, 0, 0, 600), BookingPricing.RoomPrice(hourlyOnly, 600));
    }

    [Fact]
    public void Deposit_follows_the_client_then_the_service_and_rounds_to_the_currency()
    {
        var q = Quote(1, Room with { HourlyRate = 33.33m });
        Assert.Equal(33.33m, q.Total);
        Assert.Equal(30, q.DepositPercent);
        Assert.Equal(10.00m, q.Deposit);   // 9.999 -> 10.00
        var client = new Client { Name = "VIP", DefaultDepositPercent = 0 };
        Assert.Equal(0m, Quote(1, client: client).Deposit);
        var yen = Quote(1, Room with { HourlyRate = 4999m }, policy: Policy with { Currency = "JPY" });
        Assert.Equal(1500m, yen.Deposit);  // 1499.7 -> 1500, no minor unit
        Assert.Equal("JPY", yen.Currency);
    }

    [Fact]
    public void Fixed_and_per_started_hour_services_ignore_the_room()
    {
        var mastering = new StudioService { Name = "Mastering", PriceKind = PriceKinds.Fixed, Price = 80m, RequiresRoom = false, DepositPercent = 50 };
        Assert.Equal(80m, Pricing.Quote(mastering, null, Start, Start.AddMinutes(45), null, Policy).Total);
        Assert.Equal(40m, Pricing.Quote(mastering, null, Start, Start.AddMinutes(45), null, Policy).Deposit);
        var mixing = new StudioService { Name = "Mixing", PriceKind = PriceKinds.PerHour, Price = 45m, RequiresRoom = false };
        Assert.Equal(90m, Pricing.Quote(mixing, null, Start, Start.AddMinutes(61), null, Policy).Total);
    }

    [Fact]
    public void Room_rate_without_a_room_or_backwards_times_is_a_clear_refusal()
    {
        var noRoom = Assert.Throws<BookingValidationException>(() => Pricing.Quote(RoomRate, null, Start, Start.AddHours(1), null, Policy));
        Assert.Equal("RoomId", noRoom.Field);
        Assert.Throws<BookingValidationException>(() => Quote(0));
    }

    [Theory]
    [InlineData("EUR", "1001", "500.50")]
    [InlineData("JPY", "1001", "501")]
    [InlineData("KWD", "10.001", "5.001")]
    public void A_late_cancellation_fee_is_rounded_to_the_currency_minor_unit(string currency, string total, string fee)
    {
        var booking = new Booking
        {
            Status = BookingStatuses.Confirmed, Currency = currency, Total = decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture),
            StartUtc = Start, EndUtc = Start.AddHours(2), FreeCancelHours = 48, CancelFeePercent = 50,
        };
        Assert.Equal(decimal.Parse(fee, System.Globalization.CultureInfo.InvariantCulture),
            Studio.Modules.Bookings.Services.Engine.BookingEngine.Fee(booking, Start.AddHours(-1)));
        Assert.Equal(0m, Studio.Modules.Bookings.Services.Engine.BookingEngine.Fee(booking, Start.AddHours(-49)));
    }
}
