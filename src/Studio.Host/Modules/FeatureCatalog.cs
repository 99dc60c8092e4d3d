using System.Collections.Frozen;

namespace Studio.Host.Modules;

/// <summary>
/// Every feature and theme the host knows, validated once at start-up: duplicate ids, missing dependencies and
/// dependency cycles stop the host with a message that names the module. Immutable afterwards.
/// </summary>
public sealed class FeatureCatalog
{
    private readonly FrozenDictionary<string, FeatureDescriptor> _features;
    private readonly FrozenDictionary<string, int> _order;
    private readonly FrozenDictionary<string, ThemeDescriptor> _themes;
    private readonly FrozenDictionary<string, IReadOnlyList<string>> _dependents;

    /// <summary>Validates the manifests and builds the catalog.</summary>
    /// <exception cref="ModuleCatalogException">The module set is broken.</exception>
    public FeatureCatalog(IModuleSource source)
    {
        Modules = source.GetModules();
        var features = new Dictionary<string, FeatureDescriptor>(StringComparer.Ordinal);
        foreach (var module in Modules)
        {
            if (module.Features.Count == 0)
                throw new ModuleCatalogException($"Module '{module.Name}' declares no feature in its manifest.");
            foreach (var feature in module.Features)
            {
                if (string.IsNullOrWhiteSpace(feature.Id))
                    throw new ModuleCatalogException($"Module '{module.Name}' declares a feature without an id.");
                if (!features.TryAdd(feature.Id, feature))
                    throw new ModuleCatalogException(
                        $"Module '{module.Name}' declares feature '{feature.Id}', which module '{features[feature.Id].ModuleName}' already declares (duplicate feature id).");
            }
        }

        foreach (var feature in features.Values)
            foreach (var dependency in feature.Dependencies)
                if (!features.ContainsKey(dependency))
                    throw new ModuleCatalogException(
                        $"Module '{feature.ModuleName}': feature '{feature.Id}' depends on '{dependency}', which no module provides (missing dependency).");

        var ordered = TopologicalOrder(features);
        _features = features.ToFrozenDictionary(StringComparer.Ordinal);
        _order = ordered.Select((id, index) => (id, index)).ToFrozenDictionary(x => x.id, x => x.index, StringComparer.Ordinal);
        OrderedFeatures = ordered.Select(id => features[id]).ToList();
        _dependents = features.Keys.ToFrozenDictionary(
            id => id,
            id => (IReadOnlyList<string>)features.Values.Where(f => f.Dependencies.Contains(id)).Select(f => f.Id).ToList(),
            StringComparer.Ordinal);

        Themes = source.GetThemes();
        var themes = new Dictionary<string, ThemeDescriptor>(StringComparer.OrdinalIgnoreCase);
        foreach (var theme in Themes)
            if (!themes.TryAdd(theme.Id, theme))
                throw new ModuleCatalogException($"Theme '{theme.Id}' is declared twice (duplicate theme id).");
        // Each theme's own base first, so the message names the theme that declares the missing one.
        foreach (var theme in Themes)
            if (theme.BaseTheme is { } baseId && !themes.ContainsKey(baseId))
                throw new ModuleCatalogException($"Theme '{theme.Id}' extends '{baseId}', which is not installed (missing base theme).");
        foreach (var theme in Themes)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { theme.Id };
            for (var baseId = theme.BaseTheme; baseId is not null; baseId = themes[baseId].BaseTheme)
                if (!seen.Add(baseId))
                    throw new ModuleCatalogException($"Theme '{theme.Id}' has a base-theme cycle through '{baseId}'.");
        }
        _themes = themes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>All modules.</summary>
    public IReadOnlyList<ModuleDescriptor> Modules { get; }

    /// <summary>All themes.</summary>
    public IReadOnlyList<ThemeDescriptor> Themes { get; }

    /// <summary>All features, dependencies before dependents.</summary>
    public IReadOnlyList<FeatureDescriptor> OrderedFeatures { get; }

    /// <summary>Looks a feature up by id.</summary>
    public FeatureDescriptor? Find(string id) => _features.GetValueOrDefault(id);

    /// <summary>Looks a theme up by id (case-insensitive).</summary>
    public ThemeDescriptor? FindTheme(string id) => _themes.GetValueOrDefault(id);

    /// <summary>The theme and its base themes, most specific first.</summary>
    public IReadOnlyList<string> ThemeChain(string id)
    {
        var chain = new List<string>();
        for (var theme = FindTheme(id); theme is not null; theme = theme.BaseTheme is null ? null : FindTheme(theme.BaseTheme))
            chain.Add(theme.Id);
        return chain;
    }

    /// <summary>Features that declare a direct dependency on <paramref name="id"/>.</summary>
    public IReadOnlyList<string> DirectDependents(string id) => _dependents.GetValueOrDefault(id) ?? [];

    /// <summary>The given features plus everything they depend on, transitively, in dependency order.</summary>
    public IReadOnlyList<string> WithDependencies(IEnumerable<string> ids) =>
        Order(Closure(ids, id => _features[id].Dependencies));

    /// <summary>The given features plus everything that depends on them, transitively, in dependency order.</summary>
    public IReadOnlyList<string> WithDependents(IEnumerable<string> ids) => Order(Closure(ids, DirectDependents));

    /// <summary>Puts known feature ids in dependency order (dependencies first).</summary>
    public IReadOnlyList<string> Order(IEnumerable<string> ids) =>
        ids.Where(_features.ContainsKey).Distinct().OrderBy(id => _order[id]).ToList();

    private HashSet<string> Closure(IEnumerable<string> ids, Func<string, IEnumerable<string>> next)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(ids);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (!_features.ContainsKey(id))
                throw new UnknownFeatureException(id);
            if (result.Add(id))
                foreach (var n in next(id))
                    stack.Push(n);
        }
        return result;
    }

    private static List<string> TopologicalOrder(Dictionary<string, FeatureDescriptor> features)
    {
        var ordered = new List<string>(features.Count);
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: visiting, true: done
        foreach (var id in features.Keys.Order(StringComparer.Ordinal))
            Visit(id, []);
        return ordered;

        void Visit(string id, List<string> path)
        {
            if (state.TryGetValue(id, out var done))
            {
                if (done) return;
                var cycle = string.Join(" -> ", path.SkipWhile(p => p != id).Append(id));
                throw new ModuleCatalogException(
                    $"Module '{features[id].ModuleName}': feature '{id}' is part of a dependency cycle ({cycle}).");
            }
            state[id] = false;
            path.Add(id);
            foreach (var dependency in features[id].Dependencies)
                Visit(dependency, path);
            path.RemoveAt(path.Count - 1);
            state[id] = true;
            ordered.Add(id);
        }
    }
}

/// <summary>A feature id that no installed module declares.</summary>
public sealed class UnknownFeatureException(string featureId)
    : Exception($"No installed module provides the feature '{featureId}'.")
{
    /// <summary>The unknown id.</summary>
    public string FeatureId { get; } = featureId;
}
