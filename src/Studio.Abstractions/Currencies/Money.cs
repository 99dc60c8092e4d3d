using System.Globalization;

namespace Studio.Currencies;

/// <summary>Arithmetic or comparison between two different currencies.</summary>
public sealed class CurrencyMismatchException(string left, string right)
    : InvalidOperationException($"Cannot combine amounts in {left} and {right}: convert one of them first.")
{
    /// <summary>Currency of the left operand.</summary>
    public string Left { get; } = left;

    /// <summary>Currency of the right operand.</summary>
    public string Right { get; } = right;
}

/// <summary>
/// An amount of money: a <see cref="decimal"/> amount (never a binary floating point number) and an ISO 4217
/// currency code.
/// <para>
/// Arithmetic (<c>+</c>, <c>-</c>, <c>* decimal</c>) and comparison only combine amounts of one currency; mixing two
/// throws <see cref="CurrencyMismatchException"/>. Operators keep full precision: call <see cref="Round"/> where an
/// amount is charged or shown.
/// </para>
/// <para>
/// <b>Rounding rule</b>: <see cref="Round"/> rounds to the currency's minor unit (2 decimals for EUR, USD, GBP, CHF,
/// CAD; none for JPY), <b>half away from zero</b> (<see cref="MidpointRounding.AwayFromZero"/>), as invoices do:
/// 0.125 EUR → 0.13 EUR, −0.125 EUR → −0.13 EUR, 1234.5 JPY → 1235 JPY.
/// </para>
/// <para>
/// <b>Formatting</b>: <see cref="Format(CultureInfo)"/> (and <see cref="ToString()"/> in the current culture) uses
/// the culture's separators and symbol placement with the currency's own symbol and decimals: fr-FR "1 234,50 €",
/// de-DE "1.234,50 €", en-US "$1,234.50", JPY without decimals ("¥1,235"). The amount is rounded for display by the
/// same rule.
/// </para>
/// </summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>, IFormattable
{
    private readonly string? _currency;

    /// <summary>An amount in a currency.</summary>
    /// <param name="amount">The amount (kept as given; see <see cref="Round"/>).</param>
    /// <param name="currency">ISO 4217 code, any case (e.g. <c>EUR</c>).</param>
    /// <exception cref="ArgumentException">The code is not three letters.</exception>
    public Money(decimal amount, string currency)
    {
        Amount = amount;
        _currency = Currencies.Currency.Of(currency).Code;
    }

    /// <summary>An amount in a currency (same as the constructor; reads well in views).</summary>
    public static Money Of(decimal amount, string currency) => new(amount, currency);

    /// <summary>Zero in <paramref name="currency"/>.</summary>
    public static Money Zero(string currency) => new(0m, currency);

    /// <summary>The amount.</summary>
    public decimal Amount { get; }

    /// <summary>The ISO 4217 code, upper case.</summary>
    public string Currency => _currency ?? throw new InvalidOperationException("A default Money has no currency.");

    /// <summary>The currency's catalogue entry (minor unit, symbol).</summary>
    public Currency CurrencyInfo => Currencies.Currency.Of(Currency);

    /// <summary>
    /// The amount rounded to the currency's minor unit, half away from zero (see the type's remarks).
    /// </summary>
    public Money Round() => new(RoundAmount(Amount, Currency), Currency);

    /// <summary>
    /// <paramref name="amount"/> rounded to <paramref name="currency"/>'s minor unit, half away from zero — the one
    /// rounding rule of the platform.
    /// </summary>
    public static decimal RoundAmount(decimal amount, string currency) =>
        Math.Round(amount, Currencies.Currency.Of(currency).MinorDigits, MidpointRounding.AwayFromZero);

    /// <summary>True when the amount has no digits beyond the currency's minor unit.</summary>
    public bool IsRounded => RoundAmount(Amount, Currency) == Amount;

    /// <summary>Sum of two amounts of one currency.</summary>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, Same(left, right));

    /// <summary>Difference of two amounts of one currency.</summary>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, Same(left, right));

    /// <summary>The amount negated.</summary>
    public static Money operator -(Money value) => new(-value.Amount, value.Currency);

    /// <summary>The amount times a decimal factor (hours, a percentage as a fraction…), unrounded.</summary>
    public static Money operator *(Money value, decimal factor) => new(value.Amount * factor, value.Currency);

    /// <summary>The amount times a decimal factor, unrounded.</summary>
    public static Money operator *(decimal factor, Money value) => value * factor;

    /// <summary>Compares two amounts of one currency.</summary>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <inheritdoc cref="op_LessThan"/>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <inheritdoc cref="op_LessThan"/>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <inheritdoc cref="op_LessThan"/>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Same currency and same amount (1.50 EUR equals 1.5 EUR).</summary>
    public static bool operator ==(Money left, Money right) => left.Equals(right);

    /// <summary>Not <see cref="op_Equality"/>.</summary>
    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    /// <summary>Orders two amounts of one currency.</summary>
    /// <exception cref="CurrencyMismatchException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        Same(this, other);
        return Amount.CompareTo(other.Amount);
    }

    /// <inheritdoc />
    public bool Equals(Money other) => string.Equals(_currency, other._currency, StringComparison.Ordinal) && Amount == other.Amount;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_currency, Amount);

    /// <summary>
    /// The amount in <paramref name="culture"/>'s format with the currency's symbol and minor digits, rounded half away
    /// from zero (fr-FR "1 234,50 €", en-US "$1,234.50", JPY "¥1,235").
    /// </summary>
    public string Format(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var info = CurrencyInfo;
        return RoundAmount(Amount, Currency).ToString("C", info.NumberFormat(culture));
    }

    /// <summary>The amount formatted in the current culture (see <see cref="Format(CultureInfo)"/>).</summary>
    public override string ToString() => Format(CultureInfo.CurrentCulture);

    /// <summary>
    /// Formats for <paramref name="formatProvider"/>'s culture (the current culture when it is not a
    /// <see cref="CultureInfo"/>). Format <c>null</c>, "" or "C": symbol and culture pattern; "N": the number only
    /// (culture separators, minor digits); "I": invariant "1234.50 EUR" for logs and files.
    /// </summary>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        var culture = formatProvider as CultureInfo ?? CultureInfo.CurrentCulture;
        return format switch
        {
            null or "" or "C" => Format(culture),
            "N" => RoundAmount(Amount, Currency).ToString("N" + CurrencyInfo.MinorDigits.ToString(CultureInfo.InvariantCulture), culture),
            "I" => RoundAmount(Amount, Currency).ToString("F" + CurrencyInfo.MinorDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + Currency,
            _ => throw new FormatException($"Unknown Money format '{format}': use C, N or I."),
        };
    }

    /// <summary>Formats in <paramref name="formatProvider"/>'s culture with the currency's symbol.</summary>
    public string ToString(IFormatProvider? formatProvider) => ToString(null, formatProvider);

    private static string Same(Money left, Money right)
    {
        if (!string.Equals(left.Currency, right.Currency, StringComparison.Ordinal))
            throw new CurrencyMismatchException(left.Currency, right.Currency);
        return left.Currency;
    }
}
