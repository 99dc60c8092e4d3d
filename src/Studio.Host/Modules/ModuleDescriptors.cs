using System.Reflection;

namespace Studio.Host.Modules;

/// <summary>A module as read from its manifest.</summary>
public sealed record ModuleDescriptor(string Name, Assembly? Assembly, IReadOnlyList<FeatureDescriptor> Features)
{
    /// <summary>The feature a page or startup of the module belongs to when it does not say.</summary>
    public FeatureDescriptor? DefaultFeature => Features.Count > 0 ? Features[0] : null;
}

/// <summary>A feature as declared in a manifest.</summary>
public sealed record FeatureDescriptor(
    string Id,
    string Name,
    string Description,
    string Category,
    IReadOnlyList<string> Dependencies,
    bool AlwaysEnabled,
    bool DefaultTenantOnly,
    string ModuleName);

/// <summary>A theme as read from its manifest.</summary>
public sealed record ThemeDescriptor(string Id, string Name, string? BaseTheme, string Description, Assembly? Assembly);
