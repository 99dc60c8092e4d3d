using Studio.Data;

namespace Studio.Modules.Api.Data;

/// <summary>API keys and stored idempotent responses, in the Default tenant's database (the feature is Default-only).</summary>
public sealed class ApiMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        // Times are Unix milliseconds (UTC): one integer type on both engines, compared without driver conversions.
        builder.CreateTable("api_keys", t => t
            .String("id", 32)
            .String("prefix", 32)
            // SHA-256 (hex) of the whole key: the key itself is never stored.
            .String("hash", 64)
            .String("name", 200)
            // Null: a platform (operator) key; otherwise the reseller the key is confined to.
            .String("reseller", 100, nullable: true)
            .Long("created_ms")
            .String("created_by", 200)
            .Long("last_used_ms", nullable: true)
            .Long("revoked_ms", nullable: true)
            .PrimaryKey("id"));
        builder.CreateIndex("api_keys", "ux_api_keys_prefix", unique: true, "prefix");

        // One row per (key, Idempotency-Key): inserted as a claim before the work (status null), completed with the
        // response. The primary key is what stops two simultaneous requests from both doing the work.
        builder.CreateTable("api_idempotency", t => t
            .String("key_id", 32)
            .String("idempotency_key", 200)
            .String("request_hash", 64)
            .Int("status", nullable: true)
            .Text("response", nullable: true)
            .String("content_type", 100, nullable: true)
            .String("location", 400, nullable: true)
            .Long("created_ms")
            .PrimaryKey("key_id", "idempotency_key"));
        builder.CreateIndex("api_idempotency", "ix_api_idempotency_created", unique: false, "created_ms");
    }
}
