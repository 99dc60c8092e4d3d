using Studio.Data;

namespace Studio.Host.Data;

/// <summary>
/// Custom domains' verification tokens, in the platform store (Default tenant's database): one row per (tenant,
/// host) asked for. The hosts themselves live on the tenant records; a row says which TXT value proves the tenant
/// controls the name, and when it was proved.
/// </summary>
internal sealed class PlatformDomainsMigration : DataMigration
{
    public const string FeatureId = "Studio.Platform.Domains";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("domain_verifications", t => t
            .String("tenant", 40)
            .String("host", 260)
            .String("token", 64)
            .DateTimeUtc("created_utc")
            .DateTimeUtc("verified_utc", nullable: true)
            .PrimaryKey("tenant", "host"));
        builder.CreateIndex("domain_verifications", "ix_domain_verifications_host", unique: false, "host");
    }
}
