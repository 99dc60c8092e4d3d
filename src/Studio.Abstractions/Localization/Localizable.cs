namespace Studio.Localization;

/// <summary>
/// Marks English text that reaches a localizer through a variable — a role name, a room kind, a status kept in a
/// list — so that the translation check (which reads the sources) knows the key exists and requires its
/// translations. Returns the text unchanged; translate it where it is shown, with <c>T[value]</c>.
/// </summary>
public static class Localizable
{
    /// <summary>Returns <paramref name="englishText"/>; its only job is to be found by the translation check.</summary>
    public static string Text(string englishText) => englishText;
}
