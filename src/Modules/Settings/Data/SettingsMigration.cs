using Studio.Data;

namespace Studio.Modules.Settings.Data;

/// <summary>
/// The tenant's brand media (logo, favicon): bytes in the tenant's own database, so every host instance serves
/// them (no shared disk) and removing the tenant removes them. Keyed by kind and content hash: the URL names the
/// hash, so a stored file never changes under a URL.
/// </summary>
public sealed class SettingsMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder) => builder.Sql(
        "CREATE TABLE settings_media (kind VARCHAR(20) NOT NULL, hash VARCHAR(64) NOT NULL, content_type VARCHAR(100) NOT NULL, " +
        "extension VARCHAR(10) NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, bytes BLOB NOT NULL, created_ms BIGINT NOT NULL, PRIMARY KEY (kind, hash))",
        "CREATE TABLE settings_media (kind VARCHAR(20) NOT NULL, hash VARCHAR(64) NOT NULL, content_type VARCHAR(100) NOT NULL, " +
        "extension VARCHAR(10) NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, bytes BYTEA NOT NULL, created_ms BIGINT NOT NULL, PRIMARY KEY (kind, hash))");
}
