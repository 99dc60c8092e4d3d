namespace Studio.Modules;

/// <summary>
/// Marks an assembly as a Studio module. Put it in the module's <c>Manifest.cs</c> together with one
/// <see cref="FeatureAttribute"/> per feature the module offers.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ModuleAttribute : Attribute
{
    /// <summary>Creates the module marker.</summary>
    /// <param name="name">Human-readable module name, shown to operators.</param>
    public ModuleAttribute(string name) => Name = name;

    /// <summary>Human-readable module name.</summary>
    public string Name { get; }

    /// <summary>Who wrote the module.</summary>
    public string Author { get; init; } = "Studio";

    /// <summary>Module version, informational.</summary>
    public string Version { get; init; } = "1.0.0";
}
