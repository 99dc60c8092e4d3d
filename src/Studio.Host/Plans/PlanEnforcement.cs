using Microsoft.Extensions.Localization;
using Studio.Host.Modules;
using Studio.Host.Tenancy;
using Studio.Platform;

namespace Studio.Host.Plans;

/// <summary>
/// Where the host enforces plans: the feature manager asks before enabling anything, the tenant service before
/// saving a tenant whose plan or features changed (creation by recipe, a plan change). A tenant without a plan
/// (the Default tenant, tenants made before plans) is unrestricted.
/// </summary>
public sealed class PlanEnforcement(SqlPlanCatalog plans, PlanRules rules, FeatureCatalog catalog, IStringLocalizer<PlanEnforcement> localizer)
{
    /// <summary>The tenant's plan; null when it has none. A plan id that no longer exists counts as none.</summary>
    public async Task<PlanDefinition?> PlanOfAsync(string? planId, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(planId) ? null : await plans.GetAsync(planId, cancellationToken);

    /// <summary>The message refusing the change (naming the features) when the plan does not allow all of <paramref name="enable"/>; null when it does.</summary>
    public async Task<string?> RefusalAsync(string? planId, IReadOnlyCollection<string> enable, CancellationToken cancellationToken)
    {
        if (enable.Count == 0 || await PlanOfAsync(planId, cancellationToken) is not { } plan)
            return null;
        var forbidden = rules.NotAllowed(plan, enable);
        return forbidden.Count == 0 ? null
            : localizer["The plan '{0}' does not allow {1}. Choose a plan that includes it, or leave it off.", plan.Name, rules.Describe(forbidden)].Value;
    }

    /// <summary>
    /// Errors for a tenant about to be saved: an unknown plan, a theme the plan does not include, or features the plan does not allow — all of them
    /// when the plan changes (the change is refused, listing them; nothing is disabled behind the operator's
    /// back), only the newly enabled ones otherwise, so narrowing a plan's rules never blocks unrelated edits.
    /// </summary>
    public async Task<IReadOnlyList<string>> ErrorsAsync(TenantRecord tenant, TenantRecord? previous, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(tenant.Plan))
            return [];
        var plan = await plans.GetAsync(tenant.Plan, cancellationToken);
        if (plan is null)
            return previous?.Plan == tenant.Plan ? [] : [localizer["There is no plan '{0}'.", tenant.Plan]];
        var errors = new List<string>();
        // The theme as for features: checked when it or the plan changes, so narrowing a plan breaks no one's edit.
        var themeChanged = previous is null || previous.Plan != tenant.Plan || !string.Equals(previous.Theme, tenant.Theme, StringComparison.OrdinalIgnoreCase);
        if (themeChanged && tenant.Theme is { } theme && plan.Themes.Count > 0 && !plan.Themes.Contains(theme, StringComparer.OrdinalIgnoreCase))
            errors.Add(localizer["The plan '{0}' does not include the theme '{1}'; it allows {2}.", plan.Name, theme, string.Join(", ", plan.Themes)]);
        var features = Effective(tenant);
        var checkedNow = previous is null || previous.Plan != tenant.Plan ? features : features.Except(Effective(previous)).ToList();
        var forbidden = rules.NotAllowed(plan, checkedNow);
        if (forbidden.Count > 0)
            errors.Add(previous is not null && previous.Plan != tenant.Plan
                ? localizer["The plan '{0}' does not allow features this tenant uses: {1}. Disable them first, or choose another plan.", plan.Name, rules.Describe(forbidden)]
                : localizer["The plan '{0}' does not allow {1}. Choose a plan that includes it, or leave it off.", plan.Name, rules.Describe(forbidden)]);
        return errors;
    }

    private IReadOnlyList<string> Effective(TenantRecord tenant) =>
        catalog.WithDependencies(tenant.Features.Where(id => catalog.Find(id) is not null));
}
