using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Studio.Modules.Currencies.Services;

/// <summary>One day of ECB euro reference rates: units of each currency per 1 EUR (EUR itself is implicit, 1).</summary>
public sealed record EcbRates(DateOnly Date, IReadOnlyDictionary<string, decimal> PerEuro)
{
    /// <summary>Units of <paramref name="currency"/> per euro (1 for EUR), or null when the feed has no rate for it.</summary>
    public decimal? PerEuroOf(string currency) =>
        currency == "EUR" ? 1m : PerEuro.TryGetValue(currency, out var rate) ? rate : null;
}

/// <summary>Why a feed could not be used (the page shows a localized sentence for each).</summary>
public enum EcbFeedError
{
    /// <summary>Not well-formed XML, or a DTD.</summary>
    NotXml,

    /// <summary>Larger than <see cref="EcbFeedParser.MaxBytes"/>.</summary>
    TooLarge,

    /// <summary>XML, but not the ECB's gesmes/eurofxref envelope with a dated cube of rates.</summary>
    NotEcbFeed,

    /// <summary>A rate that is not a positive decimal, a bad currency code, a duplicate, or a bad date.</summary>
    BadRate,

    /// <summary>The feed could not be reached (network, time-out, HTTP error, circuit open).</summary>
    Unreachable,
}

/// <summary>A feed could not be fetched or read. <see cref="Detail"/> is for the log, never for a page.</summary>
public sealed class EcbFeedException(EcbFeedError error, string detail, Exception? inner = null)
    : Exception($"ECB rate feed: {detail}", inner)
{
    /// <summary>What went wrong.</summary>
    public EcbFeedError Error { get; } = error;

    /// <summary>Technical detail (English, for logs).</summary>
    public string Detail { get; } = detail;
}

/// <summary>
/// Reads the ECB's daily reference rates (<c>eurofxref-daily.xml</c>): a <c>gesmes:Envelope</c>
/// (http://www.gesmes.org/xml/2002-08-01) holding <c>Cube/Cube[@time]/Cube[@currency][@rate]</c> in the eurofxref
/// namespace (http://www.ecb.int/vocabulary/2002-08-01/eurofxref). Safe parsing: no DTD (refused), no resolver, at
/// most <see cref="MaxBytes"/>. A feed with several days (the 90-day file) yields its latest day.
/// </summary>
public static class EcbFeedParser
{
    /// <summary>The gesmes envelope namespace.</summary>
    public static readonly XNamespace Gesmes = "http://www.gesmes.org/xml/2002-08-01";

    /// <summary>The eurofxref namespace of the cubes.</summary>
    public static readonly XNamespace EuroFxRef = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref";

    /// <summary>Largest feed read (the real daily file is under 2 KB; the 90-day one about 40 KB).</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Parses a feed; throws <see cref="EcbFeedException"/> with the reason when it cannot be used.</summary>
    public static EcbRates Parse(byte[] xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        if (xml.Length > MaxBytes)
            throw new EcbFeedException(EcbFeedError.TooLarge, $"the feed is {xml.Length} bytes, more than {MaxBytes}.");
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxBytes,
                MaxCharactersFromEntities = 0,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
            };
            using var stream = new MemoryStream(xml, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e)
        {
            throw new EcbFeedException(EcbFeedError.NotXml, "not well-formed XML (or a DTD): " + e.Message, e);
        }

        var root = document.Root;
        if (root is null || root.Name != Gesmes + "Envelope")
            throw new EcbFeedException(EcbFeedError.NotEcbFeed, $"the root element is {root?.Name.ToString() ?? "missing"}, not gesmes:Envelope.");
        var outer = root.Element(EuroFxRef + "Cube")
            ?? throw new EcbFeedException(EcbFeedError.NotEcbFeed, "no eurofxref Cube element in the envelope.");
        var days = outer.Elements(EuroFxRef + "Cube").Where(e => e.Attribute("time") is not null).ToList();
        if (days.Count == 0)
            throw new EcbFeedException(EcbFeedError.NotEcbFeed, "no dated Cube (Cube[@time]) in the feed.");

        EcbRates? latest = null;
        foreach (var day in days)
        {
            var time = (string)day.Attribute("time")!;
            if (!DateOnly.TryParseExact(time, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new EcbFeedException(EcbFeedError.BadRate, $"'{time}' is not a date (yyyy-MM-dd).");
            var rates = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var cube in day.Elements(EuroFxRef + "Cube"))
            {
                var code = ((string?)cube.Attribute("currency"))?.Trim() ?? "";
                var text = ((string?)cube.Attribute("rate"))?.Trim() ?? "";
                if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
                    throw new EcbFeedException(EcbFeedError.BadRate, $"'{code}' on {time} is not a currency code.");
                if (code == "EUR")
                    throw new EcbFeedException(EcbFeedError.BadRate, "the feed lists EUR, which is its base.");
                if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) || rate <= 0m || rate > 1_000_000_000m)
                    throw new EcbFeedException(EcbFeedError.BadRate, $"the rate '{text}' of {code} on {time} is not a positive decimal.");
                if (!rates.TryAdd(code, rate))
                    throw new EcbFeedException(EcbFeedError.BadRate, $"{code} is listed twice on {time}.");
            }
            if (rates.Count == 0)
                throw new EcbFeedException(EcbFeedError.NotEcbFeed, $"the cube of {time} has no rates.");
            if (latest is null || date > latest.Date)
                latest = new EcbRates(date, rates);
        }
        return latest!;
    }
}
