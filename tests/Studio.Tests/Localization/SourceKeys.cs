using System.Text;
using System.Text.RegularExpressions;

namespace Studio.Tests.Localization;

/// <summary>
/// Reads the translation keys a project uses from its sources, the way a translator's extraction tool would:
/// literal strings given to a localizer (<c>T["…"]</c>, <c>localizer["…"]</c>), marked with
/// <c>Localizable.Text("…")</c>, data-annotation display names and messages, and the names, descriptions and
/// categories of feature and theme manifests (shown translated on the admin pages).
/// </summary>
public static partial class SourceKeys
{
    /// <summary>A key and where it was found (for the failure message).</summary>
    public sealed record Use(string Key, string File, int Line);

    /// <summary>A localizer given something the check cannot read (an interpolated or verbatim string).</summary>
    public sealed record Problem(string File, int Line, string Text);

    /// <summary>The projects under <c>src/</c>: their folders.</summary>
    public static IEnumerable<string> Projects(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetDirectoryName(p)!)
            .Order(StringComparer.Ordinal);

    /// <summary>Every key used in a project's .cs and .cshtml files.</summary>
    public static (List<Use> Uses, List<Problem> Problems) Read(string projectFolder)
    {
        var uses = new List<Use>();
        var problems = new List<Problem>();
        foreach (var file in SourceFiles(projectFolder))
        {
            var text = File.ReadAllText(file);
            var relative = Path.GetRelativePath(projectFolder, file);
            var manifest = ManifestName().IsMatch(text);
            foreach (var regex in manifest ? new[] { LocalizerKey(), MarkedKey(), AnnotationKey(), ManifestName(), ManifestText() }
                         : [LocalizerKey(), MarkedKey(), AnnotationKey()])
            {
                foreach (Match match in regex.Matches(text))
                    uses.Add(new Use(Unescape(match.Groups["key"].Value), relative, LineOf(text, match.Index)));
            }
            foreach (Match match in UnreadableKey().Matches(text))
                problems.Add(new Problem(relative, LineOf(text, match.Index), match.Value));
        }
        return (uses, problems);
    }

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Decodes a C# regular string literal's escapes.</summary>
    public static string Unescape(string literal)
    {
        var result = new StringBuilder(literal.Length);
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] != '\\' || i == literal.Length - 1)
            {
                result.Append(literal[i]);
                continue;
            }
            var c = literal[++i];
            switch (c)
            {
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'r': result.Append('\r'); break;
                case '0': result.Append('\0'); break;
                case 'u':
                    result.Append((char)Convert.ToInt32(literal.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default: result.Append(c); break; // \" \\ \'
            }
        }
        return result.ToString();
    }

    private const string Literal = "\"(?<key>(?:[^\"\\\\\\n]|\\\\.)*)\"";

    [GeneratedRegex(@"(?<![\w.])(?:T|S|H|localizer)\[\s*" + Literal)]
    private static partial Regex LocalizerKey();

    [GeneratedRegex(@"\bLocalizable\.Text\(\s*" + Literal)]
    private static partial Regex MarkedKey();

    [GeneratedRegex(@"\b(?:Display\(\s*Name|ErrorMessage|Prompt)\s*=\s*" + Literal)]
    private static partial Regex AnnotationKey();

    // [assembly: Feature("Studio.Hello", "Hello", …)] and [assembly: Theme("Aurora", "Aurora", …)]: the display name.
    [GeneratedRegex(@"\[assembly:\s*(?:Feature|Theme)\(\s*[^,()]+,\s*" + Literal)]
    private static partial Regex ManifestName();

    [GeneratedRegex(@"\b(?:Description|Category)\s*=\s*" + Literal + @"(?=[\s,)\]])")]
    private static partial Regex ManifestText();

    [GeneratedRegex(@"(?<![\w.])(?:T|S|H|localizer)\[\s*(?:\$|@""|""""""|""[^""\n]*""\s*\+)")]
    private static partial Regex UnreadableKey();
}
