namespace Studio.Modules;

/// <summary>
/// Declares one feature of a module (assembly level, in <c>Manifest.cs</c>). A feature is the unit an operator
/// enables or disables per tenant; it contributes services, pages, settings and migrations.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class FeatureAttribute : Attribute
{
    /// <summary>Declares a feature.</summary>
    /// <param name="id">Globally unique id, e.g. <c>Studio.Bookings</c>.</param>
    /// <param name="name">Display name.</param>
    public FeatureAttribute(string id, string name)
    {
        Id = id;
        Name = name;
    }

    /// <summary>Globally unique feature id.</summary>
    public string Id { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>One sentence an operator reads before enabling it.</summary>
    public string Description { get; init; } = "";

    /// <summary>Grouping on the features page (e.g. "Studio", "Security", "Integrations").</summary>
    public string Category { get; init; } = "General";

    /// <summary>Ids of the features this one needs; they are enabled with it.</summary>
    public string[] Dependencies { get; init; } = [];

    /// <summary>Enabled on every tenant and cannot be disabled.</summary>
    public bool AlwaysEnabled { get; init; }

    /// <summary>Only the platform operator's Default tenant may have it.</summary>
    public bool DefaultTenantOnly { get; init; }
}
