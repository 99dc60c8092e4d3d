using System.Text;

namespace Studio.Modules.Audit.Services;

/// <summary>
/// Writes entries as RFC 4180 CSV (CRLF, quotes doubled, fields with comma/quote/line break quoted). A cell that
/// starts with = + - @ (or tab/CR) gets a leading apostrophe so a spreadsheet never runs it as a formula.
/// </summary>
public static class AuditCsv
{
    /// <summary>The header row's column names (stable: tools parse them).</summary>
    public static readonly string[] Header =
        ["id", "time_utc", "actor_id", "actor_name", "action", "target", "ip", "user_agent", "before", "after", "prev_hash", "hash"];

    /// <summary>Writes the header and every entry.</summary>
    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Row(Header));
        await foreach (var e in entries.WithCancellation(cancellationToken))
            await writer.WriteAsync(Row([e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                e.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                e.ActorId, e.ActorName, e.Action, e.Target, e.Ip, e.UserAgent, e.BeforeJson, e.AfterJson, e.PrevHash, e.Hash]));
    }

    /// <summary>One CRLF-terminated record.</summary>
    public static string Row(IEnumerable<string?> cells) => string.Join(",", cells.Select(Cell)) + "\r\n";

    /// <summary>One escaped cell.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
