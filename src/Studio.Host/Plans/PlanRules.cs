using Microsoft.Extensions.Localization;
using Studio.Host.Modules;
using Studio.Platform;

namespace Studio.Host.Plans;

/// <summary>
/// Evaluates a plan's rules over the installed features: a feature is allowed when an include rule matches it,
/// no exclude rule does, and the same holds for all its dependencies. Always-enabled features are always allowed
/// (a tenant cannot run without them). No plan: everything is allowed.
/// </summary>
public sealed class PlanRules(FeatureCatalog catalog, IStringLocalizer<PlanRules> localizer)
{
    /// <summary>True when <paramref name="pattern"/> (an exact id, or a prefix ending in <c>*</c>) matches <paramref name="featureId"/>.</summary>
    public static bool Matches(string pattern, string featureId) => pattern.EndsWith('*')
        ? featureId.StartsWith(pattern[..^1], StringComparison.Ordinal)
        : string.Equals(pattern, featureId, StringComparison.Ordinal);

    /// <summary>True when the rules alone (not the dependencies) allow the feature.</summary>
    public bool AllowsItself(PlanDefinition plan, string featureId) =>
        catalog.Find(featureId) is { AlwaysEnabled: true }
        || (plan.Include.Any(p => Matches(p, featureId)) && !plan.Exclude.Any(p => Matches(p, featureId)));

    /// <summary>True when the plan allows the feature and all its dependencies; <paramref name="plan"/> null allows all.</summary>
    public bool Allows(PlanDefinition? plan, string featureId) =>
        plan is null || catalog.WithDependencies([featureId]).All(id => AllowsItself(plan, id));

    /// <summary>Those of <paramref name="featureIds"/> the plan does not allow.</summary>
    public IReadOnlyList<string> NotAllowed(PlanDefinition? plan, IEnumerable<string> featureIds) =>
        plan is null ? [] : featureIds.Where(id => !Allows(plan, id)).Distinct().ToList();

    /// <summary>Every installed feature a tenant may enable under the plan (operator-only features never).</summary>
    public IReadOnlyList<string> AllowedFeatures(PlanDefinition? plan) => catalog.OrderedFeatures
        .Where(f => !f.DefaultTenantOnly && Allows(plan, f.Id)).Select(f => f.Id).ToList();

    /// <summary>"Name (id)" of features, for messages; the name in the current UI language (manifest names are keys).</summary>
    public string Describe(IEnumerable<string> featureIds) =>
        string.Join(", ", featureIds.Select(id => catalog.Find(id) is { } f && f.Name != id ? $"{localizer[f.Name].Value} ({id})" : id));
}
