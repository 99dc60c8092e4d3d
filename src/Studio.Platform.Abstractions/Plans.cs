namespace Studio.Platform;

/// <summary>
/// A plan (feature profile): include/exclude rules over feature ids (exact ids, or a prefix ending in <c>*</c>;
/// exclude wins), allowed themes (empty: all) and numeric limits. A feature is allowed when it and all its
/// dependencies are allowed.
/// </summary>
public sealed record PlanDefinition
{
    /// <summary>Slug, e.g. <c>free</c>, <c>studio</c>, <c>pro</c>, <c>enterprise</c>.</summary>
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>Monthly price; <see cref="decimal"/> with its ISO 4217 currency, never a floating type.</summary>
    public decimal MonthlyPrice { get; init; }
    public string Currency { get; init; } = "EUR";
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public IReadOnlyList<string> Themes { get; init; } = [];
    /// <summary>Limits by key (<see cref="PlanLimitKeys"/>); a missing key is unlimited.</summary>
    public IReadOnlyDictionary<string, long> Limits { get; init; } = new Dictionary<string, long>();
    public string Version { get; init; } = "";
}

/// <summary>Well-known limit keys. Modules may define more (a key nobody checks limits nothing).</summary>
public static class PlanLimitKeys
{
    public const string Rooms = "rooms";
    public const string StaffAccounts = "staff-accounts";
    public const string BookingsPerMonth = "bookings-per-month";
    public const string SmsPerMonth = "sms-per-month";
}

/// <summary>The platform's plans (operator only for writes). Deleting a plan in use is refused.</summary>
public interface IPlanCatalog
{
    Task<IReadOnlyList<PlanDefinition>> ListAsync(CancellationToken cancellationToken = default);
    Task<PlanDefinition?> GetAsync(string id, CancellationToken cancellationToken = default);
    Task<PlanDefinition> SaveAsync(PlatformActor actor, PlanDefinition plan, string? expectedVersion, CancellationToken cancellationToken = default);
    Task DeleteAsync(PlatformActor actor, string id, CancellationToken cancellationToken = default);
}

/// <summary>
/// The current tenant's plan limits — resolve from a tenant container. Call it where the limited thing is
/// created, inside the same transaction when there is one, with the count the tenant would have after.
/// </summary>
public interface IPlanLimits
{
    /// <summary>The limit, or null when unlimited (no plan, or the plan sets none).</summary>
    Task<long?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="PlanLimitExceededException"/> when <paramref name="countAfter"/> would exceed the limit.</summary>
    Task EnsureWithinAsync(string key, long countAfter, CancellationToken cancellationToken = default);
}

/// <summary>A plan limit would be exceeded; <see cref="Exception.Message"/> is user-facing and localized.</summary>
public sealed class PlanLimitExceededException(string key, long limit, string message) : Exception(message)
{
    public string Key { get; } = key;
    public long Limit { get; } = limit;
}

/// <summary>
/// The current tenant's plan as a read-only summary — resolve from a tenant container (e.g. the tenant's own
/// settings pages: which themes it may pick). Reads the platform store, so it reflects plan edits at once.
/// </summary>
public interface IPlanInfo
{
    /// <summary>The tenant's plan, or null when it has none (nothing is restricted).</summary>
    Task<TenantPlanInfo?> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>A tenant's plan: its id, name, allowed themes (empty: all) and the feature ids it allows (dependencies considered).</summary>
public sealed record TenantPlanInfo(string Id, string Name, IReadOnlyList<string> Themes, IReadOnlyList<string> AllowedFeatures)
{
    /// <summary>True when the plan lets the tenant use <paramref name="themeId"/>.</summary>
    public bool AllowsTheme(string themeId) => Themes.Count == 0 || Themes.Contains(themeId, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the plan lets the tenant enable <paramref name="featureId"/> (with its dependencies).</summary>
    public bool AllowsFeature(string featureId) => AllowedFeatures.Contains(featureId, StringComparer.Ordinal);
}
