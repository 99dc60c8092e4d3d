using System.Data.Common;

namespace Studio.Data;

/// <summary>
/// The current tenant's own database. Resolved from the tenant's container, it can only ever reach that
/// tenant's data: a SQLite file of its own, or a PostgreSQL schema/database of its own.
/// </summary>
public interface ITenantDatabase
{
    /// <summary>The engine behind it, for the rare query that differs.</summary>
    SqlDialect Dialect { get; }

    /// <summary>Opens a new connection to the tenant's database. The caller disposes it.</summary>
    Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);
}
