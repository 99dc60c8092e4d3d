using Studio.Data;

namespace Studio.Host.Data;

/// <summary>Schema of the platform store (tenant records), applied to the Default tenant's database.</summary>
internal sealed class PlatformTenantsMigration : DataMigration
{
    public const string FeatureId = "Studio.Platform";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("tenants", t => t
            .String("name", 40)
            .String("version", 40)
            .String("state", 20)
            .Long("revision")
            .Bool("removed")
            .Text("data")
            .DateTimeUtc("updated_utc")
            .PrimaryKey("name"));
        builder.CreateIndex("tenants", "ix_tenants_revision", unique: false, "revision");
        builder.Sql(
            sqlite: "SELECT 1",
            postgres: "CREATE SEQUENCE tenants_revision_seq");
    }
}

/// <summary>Schema of the platform's resellers (quota, granted plans, default brand), next to the tenant records.</summary>
internal sealed class PlatformResellersMigration : DataMigration
{
    public const string FeatureId = "Studio.Platform.Resellers";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder) =>
        builder.CreateTable("resellers", t => t
            .String("id", 40)
            .String("version", 40)
            .Text("data")
            .DateTimeUtc("updated_utc")
            .PrimaryKey("id"));
}
