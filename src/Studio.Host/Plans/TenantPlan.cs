using Microsoft.Extensions.Localization;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Plans;

/// <summary>
/// <see cref="IPlanLimits"/> and <see cref="IPlanInfo"/> of the tenant a container belongs to: its plan as named
/// by its record (<see cref="TenantContext.Plan"/>), read from the platform store on each call so an edited plan
/// applies at once.
/// </summary>
public sealed class TenantPlan(PlanEnforcement enforcement, PlanRules rules, TenantContext tenant, IStringLocalizer<TenantPlan> localizer)
    : IPlanLimits, IPlanInfo
{
    public async Task<long?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        await enforcement.PlanOfAsync(tenant.Plan, cancellationToken) is { } plan && plan.Limits.TryGetValue(key, out var limit) ? limit : null;

    public async Task EnsureWithinAsync(string key, long countAfter, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(key, cancellationToken) is not { } limit || countAfter <= limit)
            return;
        var message = key switch
        {
            PlanLimitKeys.StaffAccounts => localizer["Your plan allows {0} staff accounts (invitations included); remove one or move to a larger plan to add more.", limit],
            PlanLimitKeys.Rooms => localizer["Your plan allows {0} rooms; remove one or move to a larger plan to add more.", limit],
            PlanLimitKeys.BookingsPerMonth => localizer["Your plan allows {0} bookings a month; move to a larger plan to take more.", limit],
            PlanLimitKeys.SmsPerMonth => localizer["Your plan allows {0} text messages a month; move to a larger plan to send more.", limit],
            _ => localizer["Your plan allows {0} of '{1}'; move to a larger plan for more.", limit, key],
        };
        throw new PlanLimitExceededException(key, limit, message);
    }

    async Task<TenantPlanInfo?> IPlanInfo.GetAsync(CancellationToken cancellationToken) =>
        await enforcement.PlanOfAsync(tenant.Plan, cancellationToken) is { } plan
            ? new TenantPlanInfo(plan.Id, plan.Name, plan.Themes, rules.AllowedFeatures(plan))
            : null;
}
