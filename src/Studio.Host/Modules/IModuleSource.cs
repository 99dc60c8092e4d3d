using System.Reflection;
using Microsoft.Extensions.DependencyModel;
using Studio.Modules;
using Studio.Themes;

namespace Studio.Host.Modules;

/// <summary>Where the host finds modules and themes. Tests replace it to feed broken manifests.</summary>
public interface IModuleSource
{
    /// <summary>Every module manifest available to the host.</summary>
    IReadOnlyList<ModuleDescriptor> GetModules();

    /// <summary>Every theme manifest available to the host.</summary>
    IReadOnlyList<ThemeDescriptor> GetThemes();
}

/// <summary>
/// Finds modules among the application's project assemblies: every assembly carrying
/// <see cref="ModuleAttribute"/> or <see cref="ThemeAttribute"/>.
/// </summary>
public sealed class AssemblyModuleSource : IModuleSource
{
    private readonly Lazy<IReadOnlyList<Assembly>> _assemblies = new(() => ProjectAssemblies.All);

    public IReadOnlyList<ModuleDescriptor> GetModules() => _assemblies.Value
        .Select(a => (Assembly: a, Module: a.GetCustomAttribute<ModuleAttribute>()))
        .Where(x => x.Module is not null)
        .Select(x => ReadModule(x.Assembly, x.Module!))
        .ToList();

    public IReadOnlyList<ThemeDescriptor> GetThemes() => _assemblies.Value
        .Select(a => (Assembly: a, Theme: a.GetCustomAttribute<ThemeAttribute>()))
        .Where(x => x.Theme is not null)
        .Select(x => new ThemeDescriptor(x.Theme!.Id, x.Theme.Name, x.Theme.BaseTheme, x.Theme.Description, x.Assembly))
        .ToList();

    /// <summary>Reads a module manifest from its assembly attributes.</summary>
    public static ModuleDescriptor ReadModule(Assembly assembly, ModuleAttribute module) => new(
        module.Name,
        assembly,
        assembly.GetCustomAttributes<FeatureAttribute>()
            .Select(f => new FeatureDescriptor(f.Id, f.Name, f.Description, f.Category, f.Dependencies,
                f.AlwaysEnabled, f.DefaultTenantOnly, module.Name))
            .ToList());
}

/// <summary>The application's own projects (modules, themes, contracts, host) — not NuGet packages.</summary>
public static class ProjectAssemblies
{
    private static readonly Lazy<IReadOnlyList<Assembly>> Loaded = new(Load);

    /// <summary>Every project assembly of the application, loaded.</summary>
    public static IReadOnlyList<Assembly> All => Loaded.Value;

    private static IReadOnlyList<Assembly> Load()
    {
        // Project references (not NuGet packages) are where modules live; the deps file lists them all,
        // so a module that is referenced but missing on disk fails loudly here instead of vanishing.
        var context = DependencyContext.Default
            ?? throw new InvalidOperationException("The application's dependency context is missing; modules cannot be discovered.");
        return context.RuntimeLibraries
            .Where(l => l.Type == "project")
            .Select(l => Assembly.Load(new AssemblyName(l.Name)))
            .Distinct()
            .ToList();
    }
}
