using System.Text;

namespace Studio.Host.Localization;

/// <summary>
/// Reads gettext PO files (the format translators' tools — Poedit, Weblate, Crowdin — edit): <c>msgid</c> is the
/// English text, <c>msgstr</c> its translation. Supports comments, multi-line strings and the C escapes; not
/// <c>msgctxt</c> or plural forms, which the platform does not use. An entry with an empty <c>msgstr</c> is
/// untranslated and skipped. A malformed file is an error naming the line: a broken translation must fail the build's
/// tests, not silently show English.
/// </summary>
public static class PoCatalog
{
    /// <summary>Parses a PO file into English text → translation.</summary>
    /// <exception cref="FormatException">The file is malformed; the message names the source and line.</exception>
    public static IReadOnlyDictionary<string, string> Parse(TextReader reader, string source)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        StringBuilder? id = null, text = null, current = null;
        var lineNumber = 0;
        var entryLine = 0;

        void Flush()
        {
            if (id is null)
                return;
            if (text is null)
                throw new FormatException($"{source}:{entryLine}: msgid without msgstr.");
            var key = id.ToString();
            if (key.Length > 0 && text.Length > 0 && !entries.TryAdd(key, text.ToString()))
                throw new FormatException($"{source}:{entryLine}: \"{key}\" appears twice.");
            id = text = current = null;
        }

        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }
            if (line.StartsWith('#'))
                continue;
            if (line.StartsWith("msgid ", StringComparison.Ordinal))
            {
                Flush();
                entryLine = lineNumber;
                id = current = new StringBuilder(Unquote(line[6..], source, lineNumber));
            }
            else if (line.StartsWith("msgstr ", StringComparison.Ordinal))
            {
                if (id is null || text is not null)
                    throw new FormatException($"{source}:{lineNumber}: msgstr without msgid.");
                text = current = new StringBuilder(Unquote(line[7..], source, lineNumber));
            }
            else if (line.StartsWith('"'))
            {
                if (current is null)
                    throw new FormatException($"{source}:{lineNumber}: a string outside an entry.");
                current.Append(Unquote(line, source, lineNumber));
            }
            else
            {
                throw new FormatException($"{source}:{lineNumber}: unsupported line (msgctxt and plural forms are not used here).");
            }
        }
        Flush();
        return entries;
    }

    private static string Unquote(string quoted, string source, int line)
    {
        quoted = quoted.Trim();
        if (quoted.Length < 2 || quoted[0] != '"' || quoted[^1] != '"')
            throw new FormatException($"{source}:{line}: a string must be in double quotes.");
        var result = new StringBuilder(quoted.Length);
        for (var i = 1; i < quoted.Length - 1; i++)
        {
            var c = quoted[i];
            if (c == '"')
                throw new FormatException($"{source}:{line}: an unescaped quote inside a string.");
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }
            if (++i >= quoted.Length - 1)
                throw new FormatException($"{source}:{line}: a string ends with a lone backslash.");
            result.Append(quoted[i] switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '"' => '"',
                '\\' => '\\',
                var other => throw new FormatException($"{source}:{line}: unknown escape \\{other}."),
            });
        }
        return result.ToString();
    }
}
