namespace Studio.Data;

/// <summary>The database engines Studio runs on; the same code and tests run on both.</summary>
public enum SqlDialect
{
    /// <summary>Embedded SQLite, one file per tenant (the default).</summary>
    Sqlite,
    /// <summary>PostgreSQL, one schema (or one database) per tenant.</summary>
    Postgres,
}
