using Studio.Tenancy;

namespace Studio.Platform;

/// <summary>A tenant as the administration sees it.</summary>
public sealed record TenantInfo
{
    public required string Name { get; init; }
    public string DisplayName { get; init; } = "";
    public TenantState State { get; init; }
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>The host requests to the other hosts are redirected to; null when none is marked.</summary>
    public string? PrimaryHost { get; init; }
    public string? Prefix { get; init; }
    /// <summary>True when the tenant has a database of its own (the connection string itself is never shown).</summary>
    public bool HasOwnDatabase { get; init; }
    public IReadOnlyList<string> Features { get; init; } = [];
    public string? Theme { get; init; }
    public BrandSettings Brand { get; init; } = new();
    public string Culture { get; init; } = "en-US";
    public string TimeZone { get; init; } = "UTC";
    /// <summary>Plan id, or null for none (no plan: nothing is restricted — the operator's own tenants).</summary>
    public string? Plan { get; init; }
    /// <summary>Owning reseller id, or null when the platform owns it.</summary>
    public string? Reseller { get; init; }
    /// <summary>Why the platform disabled it, if it did.</summary>
    public string? Error { get; init; }
    /// <summary>Pass back on an update: a save over a newer version is refused.</summary>
    public string Version { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
}

/// <summary>A page of the tenant list: search (name, display name, host), filters, paging (1-based).</summary>
public sealed record TenantQuery
{
    public string? Search { get; init; }
    public TenantState? State { get; init; }
    public string? Plan { get; init; }
    /// <summary>Only this reseller's tenants; a reseller's own queries always set it.</summary>
    public string? Reseller { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

/// <summary>One page of tenants and the total matching the query.</summary>
public sealed record TenantPage(IReadOnlyList<TenantInfo> Items, int Total, int Page, int PageSize);

/// <summary>What creating a tenant takes.</summary>
public sealed record TenantDraft
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public string? Prefix { get; init; }
    /// <summary>PostgreSQL only: a database of its own.</summary>
    public string? ConnectionString { get; init; }
    /// <summary>Setup recipe name (from tenants/recipes), e.g. <c>blank-studio</c>.</summary>
    public string? Recipe { get; init; }
    public string? Plan { get; init; }
    public string? Reseller { get; init; }
    public string? Theme { get; init; }
    public string? Culture { get; init; }
    public string? TimeZone { get; init; }
    public BrandSettings? Brand { get; init; }
    public IReadOnlyList<string> Features { get; init; } = [];
}

/// <summary>An edit: null members stay as they are.</summary>
public sealed record TenantEdit
{
    public string? DisplayName { get; init; }
    public IReadOnlyList<string>? Hosts { get; init; }
    public string? PrimaryHost { get; init; }
    /// <summary>Empty string removes the prefix.</summary>
    public string? Prefix { get; init; }
    public string? Theme { get; init; }
    public string? Culture { get; init; }
    public string? TimeZone { get; init; }
    public BrandSettings? Brand { get; init; }
    /// <summary>Empty string removes the plan.</summary>
    public string? Plan { get; init; }
    /// <summary>Empty string gives the tenant back to the platform.</summary>
    public string? Reseller { get; init; }
}

/// <summary>
/// The platform's tenant administration (operator, reseller, API). Every write is validated (a
/// <see cref="PlatformValidationException"/> lists what is wrong and nothing is saved), version-checked
/// (<see cref="PlatformConcurrencyException"/>), applied live on every instance, and audited in the Default
/// tenant's trail with the <see cref="PlatformActor"/> the caller passes.
/// </summary>
public interface ITenantAdministration
{
    /// <summary>The operator's view: every tenant (no confinement).</summary>
    Task<TenantPage> QueryAsync(TenantQuery query, CancellationToken cancellationToken = default);
    /// <summary>The operator's view of one tenant, or null.</summary>
    Task<TenantInfo?> GetAsync(string name, CancellationToken cancellationToken = default);
    /// <summary>
    /// The tenants <paramref name="actor"/> may see: a reseller only its own (<see cref="TenantQuery.Reseller"/> is
    /// forced to it), an operator all.
    /// </summary>
    Task<TenantPage> QueryAsync(PlatformActor actor, TenantQuery query, CancellationToken cancellationToken = default);
    /// <summary>One tenant, or null when there is none.</summary>
    /// <exception cref="PlatformForbiddenException">It belongs to another reseller than the actor's.</exception>
    Task<TenantInfo?> GetAsync(PlatformActor actor, string name, CancellationToken cancellationToken = default);
    Task<TenantInfo> CreateAsync(PlatformActor actor, TenantDraft draft, CancellationToken cancellationToken = default);
    Task<TenantInfo> UpdateAsync(PlatformActor actor, string name, string expectedVersion, TenantEdit edit, CancellationToken cancellationToken = default);
    Task<TenantInfo> SetEnabledAsync(PlatformActor actor, string name, bool enabled, CancellationToken cancellationToken = default);
    Task ReloadAsync(PlatformActor actor, string name, CancellationToken cancellationToken = default);
    /// <summary>A full export (record, settings, features, brand, data) that <see cref="ImportAsync"/> re-creates.</summary>
    Task ExportAsync(PlatformActor actor, string name, Stream destination, CancellationToken cancellationToken = default);
    Task<TenantInfo> ImportAsync(PlatformActor actor, Stream export, CancellationToken cancellationToken = default);
    /// <summary>
    /// Removes a disabled tenant after writing its export; <paramref name="confirmation"/> must equal its name.
    /// Returns where the export was written.
    /// </summary>
    Task<string> RemoveAsync(PlatformActor actor, string name, string confirmation, CancellationToken cancellationToken = default);

    /// <summary>Setup recipes a new tenant can start from (names, from tenants/recipes).</summary>
    IReadOnlyList<string> Recipes { get; }

    /// <summary>Installed theme ids.</summary>
    IReadOnlyList<string> Themes { get; }
}

/// <summary>
/// Who acts on the platform, for permission checks and the audit trail: an operator (everything) or a reseller
/// (only its own tenants, its quota and granted plans).
/// </summary>
/// <param name="UserId">Account id (or API key id).</param>
/// <param name="DisplayName">Name for the audit trail.</param>
/// <param name="ResellerId">Set when the actor is a reseller: every call is confined to that reseller.</param>
/// <param name="Ip">Client IP, when from a request.</param>
/// <param name="UserAgent">Client user agent, when from a request.</param>
public sealed record PlatformActor(string UserId, string DisplayName, string? ResellerId = null, string? Ip = null, string? UserAgent = null)
{
    /// <summary>True for an operator (not confined to a reseller).</summary>
    public bool IsOperator => ResellerId is null;
}

/// <summary>Input refused; nothing was saved. <see cref="Errors"/> are user-facing, already localized.</summary>
/// <param name="errors">The messages, localized.</param>
/// <param name="extraFeatures">
/// For a feature change refused because it would also change features the caller did not name (and did not
/// confirm): their ids, so that an API client can show or confirm them without parsing the message.
/// </param>
public sealed class PlatformValidationException(IReadOnlyList<string> errors, IReadOnlyList<string>? extraFeatures = null)
    : Exception(string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;

    /// <summary>The unconfirmed extra features of a refused feature change; empty otherwise.</summary>
    public IReadOnlyList<string> ExtraFeatures { get; } = extraFeatures ?? [];
}

/// <summary>The record changed since it was read; reload and retry.</summary>
public sealed class PlatformConcurrencyException(string message) : Exception(message);

/// <summary>The actor may not do this (another reseller's tenant, a plan not granted…). Treat as not found in UIs and APIs.</summary>
public sealed class PlatformForbiddenException(string message) : Exception(message);
