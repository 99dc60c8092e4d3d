using System.Text.RegularExpressions;
using Studio.Host.Localization;
using Studio.Localization;

namespace Studio.Tests.Localization;

/// <summary>
/// The translation check: every key a project uses is translated into the five other languages in that project's
/// <c>Localization/*.po</c>, and every entry there is used; translations keep their placeholders and markup, agree
/// across projects, and are translations — not the English copied.
/// </summary>
public sealed partial class TranslationCatalogTests
{
    private static readonly string[] Languages = StudioLanguages.All.Where(l => l.Code != StudioLanguages.English).Select(l => l.Code).ToArray();

    [Fact]
    public void Every_key_used_in_a_project_is_translated_into_every_language_and_every_translation_is_used()
    {
        var failures = new List<string>();
        foreach (var project in SourceKeys.Projects(RepositoryRoot()))
        {
            var name = Path.GetFileName(project);
            var (uses, problems) = SourceKeys.Read(project);
            failures.AddRange(problems.Select(p => $"{name}/{p.File}:{p.Line}: the checker cannot read this key — use a plain string literal: {p.Text}"));
            var keys = uses.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var language in Languages)
            {
                var path = Path.Combine(project, "Localization", language + ".po");
                if (!File.Exists(path))
                {
                    if (keys.Count > 0)
                        failures.Add($"{name}: Localization/{language}.po is missing ({keys.Count} keys to translate).");
                    continue;
                }
                var catalog = Read(path);
                foreach (var use in uses.Where(u => !catalog.ContainsKey(u.Key)).DistinctBy(u => u.Key))
                    failures.Add($"{name}/Localization/{language}.po: no translation of \"{use.Key}\" (used in {use.File}:{use.Line}).");
                foreach (var unused in catalog.Keys.Where(k => !keys.Contains(k)))
                    failures.Add($"{name}/Localization/{language}.po: \"{unused}\" is used nowhere in {name}.");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} translation problems:\n" + string.Join("\n", failures.Take(300)));
    }

    [Fact]
    public void Translations_keep_the_placeholders_and_markup_of_their_English_text()
    {
        var failures = new List<string>();
        foreach (var (path, catalog) in AllCatalogs())
        {
            foreach (var (key, text) in catalog)
            {
                if (!Tokens(key).SequenceEqual(Tokens(text)))
                    failures.Add($"{path}: \"{key}\" → \"{text}\": placeholders or tags differ ({string.Join(" ", Tokens(key))} / {string.Join(" ", Tokens(text))}).");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(200)));
    }

    [Fact]
    public void A_key_is_translated_the_same_way_in_every_project()
    {
        var failures = new List<string>();
        foreach (var language in Languages)
        {
            var seen = new Dictionary<string, (string Text, string Path)>(StringComparer.Ordinal);
            foreach (var (path, catalog) in AllCatalogs().Where(c => Path.GetFileNameWithoutExtension(c.Path) == language))
            {
                foreach (var (key, text) in catalog)
                {
                    if (seen.TryGetValue(key, out var first) && first.Text != text)
                        failures.Add($"\"{key}\" is \"{first.Text}\" in {first.Path} but \"{text}\" in {path}.");
                    else
                        seen.TryAdd(key, (text, path));
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(200)));
    }

    [Fact]
    public void Translations_are_not_the_English_copied()
    {
        // Some words are the same in both languages ("Studio", "Description" in French, "E-mail"): a few are
        // expected; a catalogue mostly equal to English is a copy.
        var failures = new List<string>();
        foreach (var (path, catalog) in AllCatalogs().Where(c => c.Catalog.Count >= 10))
        {
            var same = catalog.Count(p => p.Key == p.Value);
            if (same > catalog.Count * 0.15)
                failures.Add($"{path}: {same} of {catalog.Count} entries are the English text unchanged.");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_checker_finds_keys_in_code_views_markers_annotations_and_manifests_and_refuses_unreadable_ones()
    {
        var folder = Directory.CreateTempSubdirectory("keys-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "Page.cshtml"), "<h1>@T[\"Book a \\\"session\\\"\"]</h1><p>@T[$\"Hi {name}\"]</p>");
            File.WriteAllText(Path.Combine(folder, "Code.cs"),
                "var a = localizer[\"Up to {0} people\", n]; var k = Localizable.Text(\"Engineer\"); [Display(Name = \"Your name\")] int x;");
            File.WriteAllText(Path.Combine(folder, "Manifest.cs"),
                "[assembly: Feature(\"Studio.X\", \"Guest book\", Description = \"Visitors leave a greeting.\", Category = \"Examples\")]");
            var (uses, problems) = SourceKeys.Read(folder);
            Assert.Equal(
                new[] { "Book a \"session\"", "Engineer", "Examples", "Guest book", "Up to {0} people", "Visitors leave a greeting.", "Your name" },
                uses.Select(u => u.Key).Order(StringComparer.Ordinal).ToArray());
            Assert.Single(problems);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<(string Path, IReadOnlyDictionary<string, string> Catalog)> AllCatalogs() =>
        SourceKeys.Projects(RepositoryRoot())
            .SelectMany(p => Languages.Select(l => Path.Combine(p, "Localization", l + ".po")))
            .Where(File.Exists)
            .Select(p => (Path.GetRelativePath(RepositoryRoot(), p), Read(p)));

    private static IReadOnlyDictionary<string, string> Read(string path)
    {
        using var reader = new StreamReader(path);
        return PoCatalog.Parse(reader, path);
    }

    /// <summary>Placeholders ({0}, {0:N2}, {{token}}) and HTML tag names, in order of appearance where order matters.</summary>
    private static IEnumerable<string> Tokens(string text) =>
        Token().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\{\w+\}\}|\{\d+(?:[:,][^}]*)?\}|</?[a-zA-Z][a-zA-Z0-9]*")]
    private static partial Regex Token();

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Studio.sln")))
                return folder.FullName;
        throw new InvalidOperationException("Studio.sln not found above " + AppContext.BaseDirectory);
    }
}
