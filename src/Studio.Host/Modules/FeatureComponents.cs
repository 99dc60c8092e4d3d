using System.Reflection;
using Studio.Data;
using Studio.Modules;

namespace Studio.Host.Modules;

/// <summary>A feature startup type and the features that must all be enabled for it to run.</summary>
public sealed record StartupRegistration(Type Type, string FeatureId, IReadOnlyList<string> RequiredFeatures);

/// <summary>A migration type, its feature and version.</summary>
public sealed record MigrationRegistration(Type Type, string FeatureId, int Version);

/// <summary>
/// The code each feature contributes — startups and migrations — found once by reflection over the module
/// assemblies. A type belongs to the feature named by <see cref="ForFeatureAttribute"/>, else to its module's
/// first feature.
/// </summary>
public sealed class FeatureComponents
{
    /// <summary>Scans the catalog's module assemblies.</summary>
    public FeatureComponents(FeatureCatalog catalog)
    {
        var startups = new List<StartupRegistration>();
        var migrations = new List<MigrationRegistration>();
        foreach (var module in catalog.Modules.Where(m => m.Assembly is not null))
        {
            foreach (var type in SafeTypes(module.Assembly!).Where(t => t is { IsClass: true, IsAbstract: false }))
            {
                var featureId = FeatureOf(type, module, catalog);
                if (typeof(FeatureStartup).IsAssignableFrom(type))
                {
                    var required = type.GetCustomAttribute<RequireFeaturesAttribute>()?.FeatureIds ?? [];
                    foreach (var id in required.Where(id => catalog.Find(id) is null))
                        throw new ModuleCatalogException($"Module '{module.Name}': startup '{type.Name}' requires feature '{id}', which no module provides.");
                    startups.Add(new StartupRegistration(type, featureId, [featureId, .. required]));
                }
                else if (typeof(DataMigration).IsAssignableFrom(type))
                {
                    var migration = (DataMigration)Activator.CreateInstance(type)!;
                    migrations.Add(new MigrationRegistration(type, featureId, migration.Version));
                }
            }
        }

        foreach (var clash in migrations.GroupBy(m => (m.FeatureId, m.Version)).Where(g => g.Count() > 1))
            throw new ModuleCatalogException(
                $"Feature '{clash.Key.FeatureId}' has two migrations with version {clash.Key.Version}: {string.Join(", ", clash.Select(m => m.Type.Name))}.");

        Startups = startups;
        Migrations = migrations.OrderBy(m => m.FeatureId, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
    }

    /// <summary>All startups.</summary>
    public IReadOnlyList<StartupRegistration> Startups { get; }

    /// <summary>All migrations, by feature then version.</summary>
    public IReadOnlyList<MigrationRegistration> Migrations { get; }

    /// <summary>The feature a type of a module belongs to.</summary>
    public static string FeatureOf(Type type, ModuleDescriptor module, FeatureCatalog catalog)
    {
        var declared = type.GetCustomAttribute<ForFeatureAttribute>()?.FeatureId;
        if (declared is null)
            return module.DefaultFeature!.Id;
        if (catalog.Find(declared) is null)
            throw new ModuleCatalogException($"Module '{module.Name}': '{type.Name}' belongs to feature '{declared}', which no module provides.");
        return declared;
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e)
        {
            throw new ModuleCatalogException($"Module assembly '{assembly.GetName().Name}' cannot be loaded: {e.LoaderExceptions.FirstOrDefault()?.Message}");
        }
    }
}
