using System.Text;
using Studio.Localization;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>One content line of a vCard: <c>[group.]NAME[;param=value…]:value</c>, the value still escaped.</summary>
public sealed record VCardProperty(string Name, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters, string RawValue)
{
    /// <summary>The value as text (RFC 6350 §3.4: <c>\\ \, \; \n</c> unescaped).</summary>
    public string Text => VCard.Unescape(RawValue);

    /// <summary>The value split on unescaped <c>;</c> (structured values such as N and ADR), each component unescaped.</summary>
    public IReadOnlyList<string> Components => VCard.SplitUnescaped(RawValue, ';').Select(VCard.Unescape).ToList();

    /// <summary>Whether a TYPE parameter (any case, comma lists included) holds <paramref name="type"/>.</summary>
    public bool HasType(string type) =>
        Parameters.TryGetValue("TYPE", out var values) &&
        values.SelectMany(v => v.Split(',')).Any(v => string.Equals(v.Trim(), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The PREF parameter (4.0; 1 is most preferred), or 100 when absent; 3.0's TYPE=pref counts as 1.</summary>
    public int Preference =>
        Parameters.TryGetValue("PREF", out var values) && int.TryParse(values.FirstOrDefault(), out var pref) ? pref
        : HasType("pref") ? 1 : 100;
}

/// <summary>One vCard: its version and properties, in file order, with the line it started on.</summary>
public sealed record VCardEntry(string Version, int Line, IReadOnlyList<VCardProperty> Properties)
{
    /// <summary>The properties named <paramref name="name"/> (case-insensitive), most preferred first.</summary>
    public IEnumerable<VCardProperty> All(string name) =>
        Properties.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).OrderBy(p => p.Preference);

    /// <summary>The most preferred property named <paramref name="name"/>, or null.</summary>
    public VCardProperty? First(string name) => All(name).FirstOrDefault();
}

/// <summary>
/// A vCard file could not be read. <see cref="Exception.Message"/> is an English format string (a localization key)
/// whose <c>{0}</c> is the line and <see cref="Arguments"/> the rest.
/// </summary>
public sealed class VCardFormatException(string message, int line, params object[] arguments) : Exception(message)
{
    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; } = line;

    /// <summary>The format arguments: the line, then any others.</summary>
    public object[] Arguments { get; } = [line, .. arguments];
}

/// <summary>
/// A small reader and writer for vCard 3.0 (RFC 2426) and 4.0 (RFC 6350): line unfolding and folding at 75 octets
/// (never inside a UTF-8 sequence), value escaping, groups, quoted parameter values, and CRLF line ends.
/// Only what the studio's client records need is interpreted (see <see cref="ClientVCards"/>); every other property
/// is read and ignored.
/// </summary>
public static class VCard
{
    /// <summary>Longest content line in octets, CRLF excluded (RFC 6350 §3.2).</summary>
    public const int MaxLineOctets = 75;

    /// <summary>Reads every vCard in <paramref name="text"/>. Throws <see cref="VCardFormatException"/> on a malformed file.</summary>
    public static IReadOnlyList<VCardEntry> Read(string text)
    {
        var cards = new List<VCardEntry>();
        List<VCardProperty>? current = null;
        string? version = null;
        var start = 0;
        foreach (var (line, number) in Unfold(text))
        {
            if (line.Length == 0)
                continue;
            var property = ParseLine(line, number);
            if (property.Name.Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
            {
                if (!property.RawValue.Equals("VCARD", StringComparison.OrdinalIgnoreCase))
                    throw new VCardFormatException(Localizable.Text("Line {0}: only vCards (BEGIN:VCARD) can be read."), number);
                if (current is not null)
                    throw new VCardFormatException(Localizable.Text("Line {0}: a vCard starts before the previous one ended (END:VCARD missing)."), number);
                current = [];
                version = null;
                start = number;
                continue;
            }
            if (current is null)
                throw new VCardFormatException(Localizable.Text("Line {0}: text outside a vCard (BEGIN:VCARD missing)."), number);
            if (property.Name.Equals("END", StringComparison.OrdinalIgnoreCase))
            {
                if (version is null)
                    throw new VCardFormatException(Localizable.Text("Line {0}: the vCard has no VERSION."), start);
                cards.Add(new VCardEntry(version, start, current));
                current = null;
                continue;
            }
            if (property.Name.Equals("VERSION", StringComparison.OrdinalIgnoreCase))
            {
                version = property.RawValue.Trim();
                if (version is not ("3.0" or "4.0"))
                    throw new VCardFormatException(Localizable.Text("Line {0}: vCard version {1} is not supported; use 3.0 or 4.0."), number, version);
                continue;
            }
            current.Add(property);
        }
        if (current is not null)
            throw new VCardFormatException(Localizable.Text("Line {0}: the vCard never ends (END:VCARD missing)."), start);
        return cards;
    }

    /// <summary>Joins folded lines: a line break followed by a space or tab continues the previous line.</summary>
    internal static IEnumerable<(string Line, int Number)> Unfold(string text)
    {
        var lines = text.Split('\n');
        var builder = new StringBuilder();
        var startNumber = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && i > 0)
            {
                builder.Append(line, 1, line.Length - 1);
                continue;
            }
            if (i > 0)
                yield return (builder.ToString(), startNumber);
            builder.Clear().Append(line);
            startNumber = i + 1;
        }
        yield return (builder.ToString(), startNumber);
    }

    private static VCardProperty ParseLine(string line, int number)
    {
        // The value starts at the first colon outside a quoted parameter value.
        var quoted = false;
        var colon = -1;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == ':' && !quoted)
            {
                colon = i;
                break;
            }
        }
        if (colon <= 0)
            throw new VCardFormatException(Localizable.Text("Line {0}: not a vCard property (NAME:value expected)."), number);
        var head = SplitQuoted(line[..colon], ';');
        var name = head[0];
        var dot = name.LastIndexOf('.');
        if (dot >= 0)
            name = name[(dot + 1)..]; // group prefix, e.g. item1.EMAIL
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw new VCardFormatException(Localizable.Text("Line {0}: not a vCard property (NAME:value expected)."), number);
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in head.Skip(1))
        {
            var equals = part.IndexOf('=');
            // vCard 2.1-style bare parameters ("TEL;HOME:") are TYPE values.
            var (key, value) = equals < 0 ? ("TYPE", part) : (part[..equals], part[(equals + 1)..]);
            var values = SplitQuoted(value, ',').Select(v => v.Trim('"')).ToList();
            parameters[key] = parameters.TryGetValue(key, out var existing) ? [.. existing, .. values] : values;
        }
        if (parameters.TryGetValue("ENCODING", out var encoding) && encoding.Any(e => e.Equals("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase)))
            throw new VCardFormatException(Localizable.Text("Line {0}: quoted-printable values (vCard 2.1) are not supported; use 3.0 or 4.0."), number);
        return new VCardProperty(name.ToUpperInvariant(), parameters, line[(colon + 1)..]);
    }

    private static List<string> SplitQuoted(string text, char separator)
    {
        var parts = new List<string>();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
                quoted = !quoted;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    /// <summary>Splits on <paramref name="separator"/> where it is not escaped by a backslash; parts stay escaped.</summary>
    internal static List<string> SplitUnescaped(string value, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
                i++;
            else if (value[i] == separator)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }
        parts.Add(value[start..]);
        return parts;
    }

    /// <summary>Undoes text escaping: <c>\\</c>, <c>\,</c>, <c>\;</c>, <c>\n</c>/<c>\N</c>; other backslashes are kept as they are.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
            return value;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                var next = value[++i];
                if (next is 'n' or 'N')
                    builder.Append('\n');
                else if (next is ',' or ';' or '\\' or ':')
                    builder.Append(next);
                else
                    builder.Append('\\').Append(next);
            }
            else
                builder.Append(value[i]);
        }
        return builder.ToString();
    }

    /// <summary>Escapes a text value: backslash, comma, semicolon and line breaks.</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case ',': builder.Append("\\,"); break;
                case ';': builder.Append("\\;"); break;
                case '\r':
                    if (i + 1 < value.Length && value[i + 1] == '\n')
                        i++;
                    builder.Append("\\n");
                    break;
                case '\n': builder.Append("\\n"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Writes one content line, folded at <see cref="MaxLineOctets"/> octets, with CRLF.</summary>
    public static void WriteLine(StringBuilder output, string line)
    {
        var octets = 0;
        var limit = MaxLineOctets;
        for (var i = 0; i < line.Length; i++)
        {
            var length = char.IsHighSurrogate(line[i]) && i + 1 < line.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > limit)
            {
                output.Append("\r\n ");
                octets = 0;
                limit = MaxLineOctets - 1; // the leading space of a continuation counts
            }
            output.Append(line, i, length);
            octets += size;
            i += length - 1;
        }
        output.Append("\r\n");
    }
}
