namespace Studio.Host.Tenancy;

/// <summary>
/// The source of truth for tenant records: the platform store in the Default tenant's database. Every save
/// checks the version the caller read, so two operators editing the same tenant cannot overwrite each other.
/// </summary>
public interface ITenantStore
{
    /// <summary>All tenants.</summary>
    Task<IReadOnlyList<TenantRecord>> LoadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>One tenant, or null.</summary>
    Task<TenantRecord?> FindAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Adds a tenant; its version and timestamps are set here.</summary>
    /// <exception cref="TenantConflictException">The name is taken.</exception>
    Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken = default);

    /// <summary>Saves a changed tenant. <paramref name="tenant"/>.Version must be the version that was read.</summary>
    /// <exception cref="TenantConcurrencyException">Someone else saved it in between.</exception>
    Task<TenantRecord> UpdateAsync(TenantRecord tenant, CancellationToken cancellationToken = default);

    /// <summary>Removes a tenant record (leaving a tombstone so other instances notice).</summary>
    Task DeleteAsync(TenantRecord tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes saved after <paramref name="revision"/> (by any instance): the changed records and the names of
    /// removed tenants, plus the highest revision seen.
    /// </summary>
    Task<TenantChanges> ChangesSinceAsync(long revision, CancellationToken cancellationToken = default);
}

/// <summary>A batch of tenant changes read from the store.</summary>
public sealed record TenantChanges(IReadOnlyList<TenantRecord> Changed, IReadOnlyList<string> Removed, long Revision);

/// <summary>The tenant was changed by someone else since it was read.</summary>
public sealed class TenantConcurrencyException(string name)
    : Exception($"Tenant '{name}' was changed by someone else. Reload it and apply your change again.");

/// <summary>A tenant name or host name is already taken.</summary>
public sealed class TenantConflictException(string message) : Exception(message);
