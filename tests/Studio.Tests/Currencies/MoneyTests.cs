using System.Globalization;
using Studio.Currencies;

namespace Studio.Tests.Currencies;

/// <summary>The Money value type: rounding per currency (the rule at .5), one-currency arithmetic, formatting per culture.</summary>
public sealed class MoneyTests
{
    /// <summary>Non-breaking and narrow non-breaking spaces (used by fr, pt…) as plain spaces, for readable expectations.</summary>
    private static string Plain(string text) => text.Replace('\u00A0', ' ').Replace('\u202F', ' ');

    [Theory]
    [InlineData("EUR", "0.125", "0.13")]
    [InlineData("EUR", "-0.125", "-0.13")]
    [InlineData("EUR", "0.124999", "0.12")]
    [InlineData("USD", "10.005", "10.01")]
    [InlineData("GBP", "2.675", "2.68")]
    [InlineData("CHF", "0.995", "1.00")]
    [InlineData("CAD", "1.115", "1.12")]
    [InlineData("JPY", "1234.5", "1235")]
    [InlineData("JPY", "-1234.5", "-1235")]
    [InlineData("JPY", "1234.49", "1234")]
    [InlineData("JPY", "0.5", "1")]
    public void Rounds_to_the_minor_unit_half_away_from_zero(string currency, string amount, string expected)
    {
        var rounded = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency).Round();
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), rounded.Amount);
        Assert.Equal(currency, rounded.Currency);
        Assert.True(rounded.IsRounded);
    }

    [Fact]
    public void Knows_the_minor_units_of_the_catalogue()
    {
        Assert.Equal(["EUR", "USD", "GBP", "CHF", "CAD", "JPY"], Currency.SupportedCodes);
        Assert.Equal(0, Currency.Of("JPY").MinorDigits);
        Assert.All(Currency.Supported.Where(c => c.Code != "JPY"), c => Assert.Equal(2, c.MinorDigits));
        Assert.Equal(3, Currency.Of("KWD").MinorDigits); // not supported, still rounded right
        Assert.Equal(0, Currency.Of("krw").MinorDigits);
        Assert.False(Currency.IsSupported("SEK"));
        Assert.True(Currency.IsSupported(" chf "));
        Assert.Throws<ArgumentException>(() => new Money(1m, "EURO"));
        Assert.Throws<ArgumentException>(() => new Money(1m, "E1R"));
    }

    [Fact]
    public void Arithmetic_and_comparison_only_within_one_currency()
    {
        var a = new Money(10.10m, "EUR");
        var b = Money.Of(0.205m, "eur");
        Assert.Equal(new Money(10.305m, "EUR"), a + b);
        Assert.Equal(new Money(9.895m, "EUR"), a - b);
        Assert.Equal(new Money(30.30m, "EUR"), a * 3m);
        Assert.Equal(new Money(3.03m, "EUR"), 0.3m * a);
        Assert.Equal(new Money(-10.10m, "EUR"), -a);
        Assert.True(a > b && b < a && a >= new Money(10.1m, "EUR") && a <= new Money(10.1m, "EUR"));
        Assert.Equal(new Money(1.5m, "EUR"), new Money(1.50m, "EUR"));
        Assert.NotEqual(new Money(1.5m, "EUR"), new Money(1.5m, "USD"));

        var dollars = new Money(1m, "USD");
        var mixed = Assert.Throws<CurrencyMismatchException>(() => a + dollars);
        Assert.Contains("EUR", mixed.Message);
        Assert.Contains("USD", mixed.Message);
        Assert.Throws<CurrencyMismatchException>(() => a - dollars);
        Assert.Throws<CurrencyMismatchException>(() => a < dollars);
        Assert.Throws<CurrencyMismatchException>(() => a.CompareTo(dollars));
    }

    [Theory]
    // English (US and UK), French, Spanish, German, Italian, Portuguese (Portugal and Brazil).
    [InlineData("en-US", "EUR", "1234.5", "€1,234.50")]
    [InlineData("en-US", "USD", "1234.5", "$1,234.50")]
    [InlineData("en-US", "JPY", "1234.5", "¥1,235")]
    [InlineData("en-US", "CHF", "1234.5", "CHF 1,234.50")]
    [InlineData("en-GB", "GBP", "1234.5", "£1,234.50")]
    [InlineData("en-GB", "CAD", "-1234.5", "-CA$1,234.50")]
    [InlineData("fr-FR", "EUR", "1234.5", "1 234,50 €")]
    [InlineData("fr-FR", "JPY", "1234.5", "1 235 ¥")]
    [InlineData("fr-FR", "CHF", "1234.5", "1 234,50 CHF")]
    [InlineData("es-ES", "EUR", "1234.5", "1.234,50 €")]
    [InlineData("es-ES", "USD", "0.5", "0,50 $")]
    [InlineData("de-DE", "EUR", "1234.5", "1.234,50 €")]
    [InlineData("de-DE", "JPY", "1234567", "1.234.567 ¥")]
    [InlineData("it-IT", "EUR", "1234.5", "1.234,50 €")]
    [InlineData("it-IT", "GBP", "1234.5", "1.234,50 £")]
    [InlineData("pt-PT", "EUR", "1234.5", "1 234,50 €")]
    [InlineData("pt-BR", "USD", "1234.5", "$ 1.234,50")]
    public void Formats_per_culture_with_the_currencys_symbol_and_digits(string culture, string currency, string amount, string expected)
    {
        var money = new Money(decimal.Parse(amount, CultureInfo.InvariantCulture), currency);
        Assert.Equal(expected, Plain(money.Format(CultureInfo.GetCultureInfo(culture))));
        Assert.Equal(expected, Plain(money.ToString(CultureInfo.GetCultureInfo(culture))));
        Assert.Equal(expected, Plain(string.Format(CultureInfo.GetCultureInfo(culture), "{0}", money)));
    }

    [Fact]
    public void Formats_in_the_current_culture_and_invariantly_for_logs()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("12,35 €", Plain(new Money(12.345m, "EUR").ToString()));
            Assert.Equal("12,35", new Money(12.345m, "EUR").ToString("N", null));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
        Assert.Equal("1234.50 EUR", new Money(1234.5m, "EUR").ToString("I", null));
        Assert.Equal("1235 JPY", new Money(1234.5m, "JPY").ToString("I", null));
        Assert.Throws<FormatException>(() => new Money(1m, "EUR").ToString("X", null));
    }
}
