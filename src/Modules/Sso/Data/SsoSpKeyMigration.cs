using Studio.Data;
using Studio.Modules;

namespace Studio.Modules.Sso.Data;

/// <summary>
/// Schema v2: at most one "active" and one "next" SP key per use, enforced by the database (a partial unique index),
/// so two instances making the tenant's first key at once cannot both succeed — the loser's insert does nothing and it
/// reads the winner's key. Rows a race may have left before this version are settled first: the oldest active key
/// stays active (the one every instance already signed with), the other actives are retired, and only the oldest
/// "next" stays. Also the last failed IdP metadata refresh per provider (<c>sso_metadata_status</c>), shown to the
/// tenant's admins until a refresh succeeds.
/// </summary>
[ForFeature("Studio.Sso")]
public sealed class SsoSpKeyMigration : DataMigration
{
    public override int Version => 2;

    public override void Up(MigrationBuilder b)
    {
        b.Sql("UPDATE sso_sp_keys SET status = 'retired' WHERE status IN ('active', 'next') AND id <> " +
              "(SELECT MIN(k.id) FROM sso_sp_keys k WHERE k.status = sso_sp_keys.status AND k.use = sso_sp_keys.use)");
        b.Sql("CREATE UNIQUE INDEX ux_sso_sp_keys_current ON sso_sp_keys (use, status) WHERE status IN ('active', 'next')");
        b.CreateTable("sso_metadata_status", t => t
            .String("provider_id", 50).DateTimeUtc("failed_utc").String("error", 500).PrimaryKey("provider_id"));
    }
}
