using System.Reflection;
using System.Xml.Linq;
using Studio.Host.Modules;

namespace Studio.Tests;

/// <summary>
/// The module rules the build cannot enforce by itself: a module never references another module (shared contracts
/// live in *.Abstractions projects), the host names every module and theme project, and the platform's list of
/// required features keeps up with the always-enabled features the modules declare.
/// </summary>
public sealed class ModuleBoundaryTests
{
    private const string ModulePrefix = "Studio.Modules.";

    private static IReadOnlyList<Assembly> ModuleAssemblies() =>
        ProjectAssemblies.All.Where(a => a.GetName().Name!.StartsWith(ModulePrefix, StringComparison.Ordinal)).ToList();

    [Fact]
    public void No_module_assembly_references_another_module()
    {
        var modules = ModuleAssemblies();
        Assert.True(modules.Count >= 10, "The module assemblies were not found: " + string.Join(", ", modules.Select(a => a.GetName().Name)));
        var offences = modules
            .SelectMany(a => a.GetReferencedAssemblies()
                .Where(r => r.Name!.StartsWith(ModulePrefix, StringComparison.Ordinal))
                .Select(r => $"{a.GetName().Name} references {r.Name}"))
            .ToList();
        Assert.True(offences.Count == 0, "A module uses another module's code — put the contract in a *.Abstractions project:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void No_module_project_has_a_project_reference_into_src_Modules()
    {
        var modulesFolder = Path.Combine(RepositoryRoot(), "src", "Modules") + Path.DirectorySeparatorChar;
        var projects = Directory.GetFiles(modulesFolder, "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(projects);
        var offences = projects
            .SelectMany(project => ProjectReferences(project)
                .Where(target => target.StartsWith(modulesFolder, StringComparison.Ordinal))
                .Select(target => $"{Path.GetFileName(project)} -> {Path.GetRelativePath(RepositoryRoot(), target)}"))
            .ToList();
        Assert.True(offences.Count == 0, "A module project references another module's project:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_host_names_every_module_and_theme_project_one_by_one()
    {
        var root = RepositoryRoot();
        var host = Path.Combine(root, "src", "Studio.Host", "Studio.Host.csproj");
        var document = XDocument.Load(host);
        Assert.DoesNotContain(document.Descendants("ProjectReference").Select(e => (string?)e.Attribute("Include") ?? ""), include => include.Contains('*'));
        var named = document.Descendants().Where(e => e.Name.LocalName is "StudioModule" or "StudioTheme")
            .Select(e => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(host)!, ((string)e.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar))))
            .ToHashSet();
        var onDisk = new[] { "Modules", "Themes" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(root, "src", folder), "*.csproj", SearchOption.AllDirectories))
            .ToHashSet();
        Assert.True(onDisk.SetEquals(named),
            "Studio.Host.csproj must name exactly the module and theme projects under src/: missing "
            + string.Join(", ", onDisk.Except(named).Select(p => Path.GetRelativePath(root, p)))
            + "; named but absent " + string.Join(", ", named.Except(onDisk).Select(p => Path.GetRelativePath(root, p))));
    }

    [Fact]
    public void The_probes_integration_with_Hello_uses_Hellos_contract_only()
    {
        // The worked example of an optional integration between modules (docs/architecture.md): it must show the
        // right way, so no type of the probe may touch a Hello type other than its Abstractions' contracts.
        var probeTypes = typeof(Probe.ProbeStartup).Assembly.GetTypes().Where(t => t.Namespace == typeof(Probe.ProbeStartup).Namespace).ToList();
        Assert.Contains(typeof(Probe.ProbeHelloIntegration), probeTypes);
        var offences = probeTypes
            .SelectMany(type => TypesUsedBy(type).Where(used => used.Assembly.GetName().Name!.StartsWith(ModulePrefix, StringComparison.Ordinal))
                .Select(used => $"{type.Name} uses {used.FullName}"))
            .Distinct()
            .ToList();
        Assert.True(offences.Count == 0, "The probe reaches into a module's own classes:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void Every_always_enabled_feature_of_a_module_is_one_the_platform_requires()
    {
        var required = PlatformRequirements.Features.Select(f => f.FeatureId).ToHashSet();
        var alwaysEnabled = new AssemblyModuleSource().GetModules()
            .Where(m => m.Assembly?.GetName().Name?.StartsWith(ModulePrefix, StringComparison.Ordinal) == true)
            .SelectMany(m => m.Features.Where(f => f.AlwaysEnabled).Select(f => (f.Id, Module: m.Name)))
            .ToList();
        Assert.NotEmpty(alwaysEnabled);
        Assert.All(alwaysEnabled, f => Assert.True(required.Contains(f.Id),
            $"'{f.Id}' (module '{f.Module}') is always enabled but missing from PlatformRequirements.Features."));
        // And each required feature names the module that really declares it.
        var declared = new AssemblyModuleSource().GetModules().SelectMany(m => m.Features.Select(f => (f.Id, m.Name))).ToDictionary(x => x.Id, x => x.Name);
        Assert.All(PlatformRequirements.Features, f => Assert.Equal(f.Module, declared.GetValueOrDefault(f.FeatureId)));
    }

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var signatures = type.GetConstructors(all).SelectMany(c => c.GetParameters().Select(p => p.ParameterType))
            .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
            .Concat(type.GetFields(all).Select(f => f.FieldType))
            .Concat(type.GetProperties(all).Select(p => p.PropertyType))
            .Append(type.BaseType ?? typeof(object))
            .Concat(type.GetInterfaces());
        // Lambdas and async state machines are nested types: what the endpoints' delegates take counts too.
        return signatures.SelectMany(Unwrap).Concat(type.GetNestedTypes(all).SelectMany(TypesUsedBy));
    }

    private static IEnumerable<Type> Unwrap(Type type) =>
        type.HasElementType ? Unwrap(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Prepend(type.GetGenericTypeDefinition())
        : [type];

    private static IEnumerable<string> ProjectReferences(string project) =>
        XDocument.Load(project).Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, ((string)e.Attribute("Include")!).Replace('\\', Path.DirectorySeparatorChar))));

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Studio.sln")))
                return folder.FullName;
        throw new InvalidOperationException("Studio.sln not found above " + AppContext.BaseDirectory);
    }
}
