namespace Studio.Data;

/// <summary>
/// One versioned schema step of a feature. Put migrations in the module's <c>Data</c> folder; the host runs the
/// ones not yet recorded for a tenant, in version order, when the tenant activates and when the feature is
/// enabled, inside a transaction and under a database lock so that two host instances never race.
/// </summary>
public abstract class DataMigration
{
    /// <summary>Increasing version within the feature, starting at 1. Never renumber a shipped migration.</summary>
    public abstract int Version { get; }

    /// <summary>Describes the schema change; the builder emits SQL for the tenant's engine.</summary>
    public abstract void Up(MigrationBuilder builder);
}
