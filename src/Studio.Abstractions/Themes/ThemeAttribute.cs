namespace Studio.Themes;

/// <summary>
/// Marks an assembly as a theme (in its <c>Manifest.cs</c>). A theme ships its layout and partials under
/// <c>Views/{Id}/</c> and its assets under <c>wwwroot/</c>; views it lacks are taken from its base theme.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ThemeAttribute(string id, string name) : Attribute
{
    /// <summary>Theme id, also the folder of its views.</summary>
    public string Id { get; } = id;

    /// <summary>Display name.</summary>
    public string Name { get; } = name;

    /// <summary>Optional theme it extends.</summary>
    public string? BaseTheme { get; init; }

    /// <summary>One sentence for the theme picker.</summary>
    public string Description { get; init; } = "";
}
