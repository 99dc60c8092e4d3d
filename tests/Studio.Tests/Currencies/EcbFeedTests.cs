using System.Text;
using Studio.Currencies;
using Studio.Modules.Currencies.Services;

namespace Studio.Tests.Currencies;

/// <summary>The ECB feed parser (the recorded sample, malformed and hostile feeds) and conversions over its rates.</summary>
public sealed class EcbFeedTests
{
    /// <summary>The recorded sample (tests/…/Currencies/eurofxref-daily.sample.xml, a copy of shared/specs/ecb).</summary>
    internal static byte[] Sample() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Currencies", "eurofxref-daily.sample.xml"));

    private static EcbRates SampleRates() => EcbFeedParser.Parse(Sample());

    private static byte[] Feed(string cubes, string time = "2099-01-02") => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="UTF-8"?>
        <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
          <gesmes:subject>Reference rates</gesmes:subject>
          <Cube><Cube time='{time}'>{cubes}</Cube></Cube>
        </gesmes:Envelope>
        """);

    [Fact]
    public void The_copy_of_the_sample_is_the_recorded_one()
    {
        // The shared specs sit beside the repository (../shared); the test copy must not drift from them.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Studio.sln")))
            dir = dir.Parent;
        var shared = dir is null ? null : Path.Combine(dir.FullName, "..", "shared", "specs", "ecb", "eurofxref-daily.sample.xml");
        if (shared is not null && File.Exists(shared))
            Assert.Equal(File.ReadAllBytes(shared), Sample());
    }

    [Fact]
    public void Parses_the_sample()
    {
        var rates = SampleRates();
        Assert.Equal(new DateOnly(2099, 1, 2), rates.Date);
        Assert.Equal(7, rates.PerEuro.Count);
        Assert.Equal(1.1000m, rates.PerEuro["USD"]);
        Assert.Equal(160.00m, rates.PerEuro["JPY"]);
        Assert.Equal(0.85000m, rates.PerEuro["GBP"]);
        Assert.Equal(0.9500m, rates.PerEuro["CHF"]);
        Assert.Equal(1.5000m, rates.PerEuro["CAD"]);
        Assert.Equal(11.000m, rates.PerEuro["SEK"]);
        Assert.Equal(1m, rates.PerEuroOf("EUR"));
        Assert.Null(rates.PerEuroOf("NOK"));
    }

    [Fact]
    public void A_feed_of_several_days_gives_its_latest()
    {
        var xml = Encoding.UTF8.GetString(Feed("<Cube currency='USD' rate='1.2'/>", "2099-01-01"))
            .Replace("</Cube></Cube>", "</Cube><Cube time='2099-01-03'><Cube currency='USD' rate='1.3'/></Cube></Cube>");
        var rates = EcbFeedParser.Parse(Encoding.UTF8.GetBytes(xml));
        Assert.Equal(new DateOnly(2099, 1, 3), rates.Date);
        Assert.Equal(1.3m, rates.PerEuro["USD"]);
    }

    public static TheoryData<string, string, EcbFeedError> Malformed => new()
    {
        { "not XML", "this is not xml <", EcbFeedError.NotXml },
        { "truncated", "<?xml version=\"1.0\"?><gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\"><Cube>", EcbFeedError.NotXml },
        { "a DTD (entity expansion)", "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>", EcbFeedError.NotXml },
        { "an external entity", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><x>&xxe;</x>", EcbFeedError.NotXml },
        { "another document", "<html><body>Service unavailable</body></html>", EcbFeedError.NotEcbFeed },
        { "the envelope without namespace", "<Envelope><Cube><Cube time='2099-01-02'><Cube currency='USD' rate='1.1'/></Cube></Cube></Envelope>", EcbFeedError.NotEcbFeed },
        { "no dated cube", "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\"><Cube/></gesmes:Envelope>", EcbFeedError.NotEcbFeed },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_feed_is_refused_with_its_reason(string what, string xml, EcbFeedError expected)
    {
        var error = Assert.Throws<EcbFeedException>(() => EcbFeedParser.Parse(Encoding.UTF8.GetBytes(xml)));
        Assert.True(expected == error.Error, $"{what}: {error.Error} ({error.Detail})");
        Assert.StartsWith("ECB rate feed: ", error.Message);
    }

    [Theory]
    [InlineData("<Cube currency='USD' rate='-1.1'/>", "not a positive decimal")]
    [InlineData("<Cube currency='USD' rate='0'/>", "not a positive decimal")]
    [InlineData("<Cube currency='USD' rate='1,10'/>", "not a positive decimal")]
    [InlineData("<Cube currency='USD' rate='1e3'/>", "not a positive decimal")]
    [InlineData("<Cube currency='USD' rate='abc'/>", "not a positive decimal")]
    [InlineData("<Cube currency='USD'/>", "not a positive decimal")]
    [InlineData("<Cube currency='usd' rate='1.1'/>", "not a currency code")]
    [InlineData("<Cube currency='EUR' rate='1'/>", "lists EUR")]
    [InlineData("<Cube currency='USD' rate='1.1'/><Cube currency='USD' rate='1.2'/>", "listed twice")]
    [InlineData("", "has no rates")]
    public void Bad_rates_are_refused_with_a_clear_reason(string cubes, string reason)
    {
        var error = Assert.Throws<EcbFeedException>(() => EcbFeedParser.Parse(Feed(cubes)));
        Assert.Contains(reason, error.Detail);
    }

    [Fact]
    public void A_bad_date_and_an_oversized_feed_are_refused()
    {
        Assert.Equal(EcbFeedError.BadRate, Assert.Throws<EcbFeedException>(() => EcbFeedParser.Parse(Feed("<Cube currency='USD' rate='1.1'/>", "02/01/2099"))).Error);
        var huge = new byte[EcbFeedParser.MaxBytes + 1];
        Assert.Equal(EcbFeedError.TooLarge, Assert.Throws<EcbFeedException>(() => EcbFeedParser.Parse(huge)).Error);
    }

    private static RateSnapshot Snapshot(string baseCurrency, params ManualRate[] manual) =>
        new(baseCurrency, SampleRates(), manual.ToDictionary(m => m.Currency));

    [Theory]
    [InlineData("EUR", "100", "USD", "110.00")]   // EUR→X: × rate
    [InlineData("USD", "110", "EUR", "100.00")]   // X→EUR: ÷ rate
    [InlineData("EUR", "12.34", "JPY", "1974")]   // 1974.4 → JPY has no minor unit
    [InlineData("JPY", "1000", "EUR", "6.25")]
    [InlineData("USD", "100", "GBP", "77.27")]    // cross: 100 × 0.85 ÷ 1.1 = 77.2727…
    [InlineData("GBP", "100", "USD", "129.41")]   // 100 × 1.1 ÷ 0.85 = 129.4117…
    [InlineData("CHF", "19", "JPY", "3200")]      // 19 × 160 ÷ 0.95
    [InlineData("CAD", "3", "CHF", "1.90")]       // 3 × 0.95 ÷ 1.5
    [InlineData("USD", "0.11", "GBP", "0.09")]    // 0.085 → half away from zero: 0.09
    public void Converts_through_the_euro_cross_rates(string from, string amount, string to, string expected)
    {
        var conversion = CurrencyConverter.Convert(new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), from), to, Snapshot("EUR"));
        Assert.NotNull(conversion);
        Assert.Equal(new Money(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), to), conversion.Result);
        Assert.Equal(RateSource.Ecb, conversion.Source);
        Assert.Equal(new DateOnly(2099, 1, 2), conversion.RateDate);
        Assert.True(conversion.Result.IsRounded);
    }

    [Fact]
    public void A_manual_rate_wins_and_says_so()
    {
        var set = new DateTime(2099, 3, 4, 10, 0, 0, DateTimeKind.Utc);
        var rates = Snapshot("EUR", new ManualRate("USD", 1.25m, set, "Owner"));
        var toUsd = CurrencyConverter.Convert(new Money(100m, "EUR"), "USD", rates)!;
        Assert.Equal(new Money(125m, "USD"), toUsd.Result);
        Assert.Equal(RateSource.Manual, toUsd.Source);
        Assert.Equal(new DateOnly(2099, 3, 4), toUsd.RateDate);
        // Back to the base currency: the manual rate inverted.
        Assert.Equal(new Money(80m, "EUR"), CurrencyConverter.Convert(new Money(100m, "USD"), "EUR", rates)!.Result);
        // Other pairs still use the ECB rates.
        var toGbp = CurrencyConverter.Convert(new Money(100m, "EUR"), "GBP", rates)!;
        Assert.Equal(RateSource.Ecb, toGbp.Source);
        Assert.Equal(new Money(85m, "GBP"), toGbp.Result);
        // A manual rate against a non-euro base currency.
        var chfBase = Snapshot("CHF", new ManualRate("JPY", 170.5m, set, "Owner"));
        Assert.Equal(new Money(1705m, "JPY"), CurrencyConverter.Convert(new Money(10m, "CHF"), "JPY", chfBase)!.Result);
    }

    [Fact]
    public void No_conversion_when_none_is_needed_or_possible()
    {
        Assert.Null(CurrencyConverter.Convert(new Money(1m, "EUR"), "EUR", Snapshot("EUR")));
        Assert.Null(CurrencyConverter.Convert(new Money(1m, "EUR"), "NOK", Snapshot("EUR")));
        Assert.Null(CurrencyConverter.Convert(new Money(1m, "EUR"), "USD", new RateSnapshot("EUR", null, new Dictionary<string, ManualRate>())));
    }
}
