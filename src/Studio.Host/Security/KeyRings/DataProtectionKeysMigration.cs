using Studio.Data;

namespace Studio.Host.Security.KeyRings;

/// <summary>
/// The <c>dataprotection_keys</c> table, created in every tenant's database by the host (whatever its features):
/// the tenant's Data Protection key ring lives with its data and is removed with it.
/// </summary>
internal sealed class DataProtectionKeysMigration : DataMigration
{
    /// <summary>Pseudo-feature under which the host's own per-tenant migrations are recorded.</summary>
    public const string FeatureId = "Studio.Host.DataProtection";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder) =>
        builder.CreateTable(TenantXmlRepository.Table, t => t
            .String("id", 40)
            .String("friendly_name", 200)
            .Text("xml")
            .DateTimeUtc("created_utc")
            .PrimaryKey("id"));
}
