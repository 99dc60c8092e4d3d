using System.Globalization;

namespace Studio.Currencies;

/// <summary>
/// One currency of the catalogue: its ISO 4217 code, its minor unit (decimal places, the ISO 4217 exponent) and the
/// symbol shown in front of or after amounts.
/// </summary>
/// <param name="Code">ISO 4217 code, upper case (e.g. <c>EUR</c>).</param>
/// <param name="MinorDigits">Decimal places of the minor unit: 2 for EUR (cents), 0 for JPY (no minor unit).</param>
/// <param name="Symbol">The symbol amounts are formatted with (e.g. <c>€</c>, <c>$</c>, <c>CHF</c>).</param>
public sealed record Currency(string Code, int MinorDigits, string Symbol)
{
    /// <summary>Euro: 2 decimals, "€". The base of the ECB reference rates.</summary>
    public static readonly Currency EUR = new("EUR", 2, "€");

    /// <summary>US dollar: 2 decimals, "$".</summary>
    public static readonly Currency USD = new("USD", 2, "$");

    /// <summary>Pound sterling: 2 decimals, "£".</summary>
    public static readonly Currency GBP = new("GBP", 2, "£");

    /// <summary>Swiss franc: 2 decimals, "CHF".</summary>
    public static readonly Currency CHF = new("CHF", 2, "CHF");

    /// <summary>Canadian dollar: 2 decimals, "CA$" (so it is never mistaken for the US dollar).</summary>
    public static readonly Currency CAD = new("CAD", 2, "CA$");

    /// <summary>Japanese yen: no minor unit, "¥".</summary>
    public static readonly Currency JPY = new("JPY", 0, "¥");

    /// <summary>
    /// The currencies the platform supports for prices, plans and display: EUR, USD, GBP, CHF, CAD, JPY
    /// (in this order).
    /// </summary>
    public static IReadOnlyList<Currency> Supported { get; } = [EUR, USD, GBP, CHF, CAD, JPY];

    /// <summary>The codes of <see cref="Supported"/>, in the same order.</summary>
    public static IReadOnlyList<string> SupportedCodes { get; } = Supported.Select(c => c.Code).ToArray();

    private static readonly Dictionary<string, Currency> BySupportedCode = Supported.ToDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>True when <paramref name="code"/> (any case, trimmed) is one of <see cref="Supported"/>.</summary>
    public static bool IsSupported(string? code) => code is not null && BySupportedCode.ContainsKey(Normalize(code));

    /// <summary>The supported currency <paramref name="code"/>, or null.</summary>
    public static Currency? FindSupported(string? code) =>
        code is not null && BySupportedCode.TryGetValue(Normalize(code), out var c) ? c : null;

    /// <summary>True for a well-formed ISO 4217 code: three ASCII letters (any case).</summary>
    public static bool IsWellFormedCode(string? code)
    {
        var c = code?.Trim();
        return c is { Length: 3 } && c.All(char.IsAsciiLetter);
    }

    /// <summary>
    /// The currency of a well-formed ISO 4217 code: a supported one as catalogued; any other code gets its ISO 4217
    /// exponent (0 for KRW, ISK…, 3 for BHD, KWD…, else 2) and its code as the symbol, so amounts in a currency the
    /// platform does not list are still rounded and shown correctly.
    /// </summary>
    /// <exception cref="ArgumentException">The code is not three letters.</exception>
    public static Currency Of(string code)
    {
        if (!IsWellFormedCode(code))
            throw new ArgumentException($"'{code}' is not an ISO 4217 currency code (three letters, e.g. EUR).", nameof(code));
        var normalized = Normalize(code);
        if (BySupportedCode.TryGetValue(normalized, out var supported))
            return supported;
        var digits = normalized switch
        {
            "KRW" or "ISK" or "CLP" or "VND" or "XAF" or "XOF" or "UGX" or "PYG" or "RWF" or "KMF" or "GNF" or "DJF" or "VUV" or "XPF" => 0,
            "BHD" or "KWD" or "OMR" or "JOD" or "TND" or "LYD" or "IQD" => 3,
            _ => 2,
        };
        return new Currency(normalized, digits, normalized);
    }

    /// <summary>Upper-case, trimmed code.</summary>
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    /// <summary>
    /// The number format of <paramref name="culture"/> for amounts in this currency: the culture's separators and
    /// symbol placement, this currency's symbol and number of decimals.
    /// </summary>
    public NumberFormatInfo NumberFormat(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = Symbol;
        format.CurrencyDecimalDigits = MinorDigits;
        // A symbol made of letters ("CHF") is never glued to the number: "CHF 1,234.50", not "CHF1,234.50".
        if (char.IsLetter(Symbol[^1]) && format.CurrencyPositivePattern == 0)
            format.CurrencyPositivePattern = 2;
        if (char.IsLetter(Symbol[0]) && format.CurrencyPositivePattern == 1)
            format.CurrencyPositivePattern = 3;
        return format;
    }

    /// <inheritdoc />
    public override string ToString() => Code;
}
