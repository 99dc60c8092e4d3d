using Studio.Data;

namespace Studio.Modules.Audit.Data;

/// <summary>Creates the audit entries table and the one-row chain state (anchor after pruning, head) per tenant.</summary>
public sealed class AuditMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("audit_entries", t => t
            .Id()
            .String("tenant", 100)
            // Unix milliseconds, UTC: the same integer on both engines, so the hash never depends on a driver's
            // date conversion or on PostgreSQL's microsecond rounding.
            .Long("created_ms")
            .String("actor_id", 200)
            .String("actor_name", 200)
            .String("action", 200)
            .String("target", 400, nullable: true)
            .String("ip", 64, nullable: true)
            .String("user_agent", 512, nullable: true)
            .Text("before_json", nullable: true)
            .Text("after_json", nullable: true)
            .String("prev_hash", 64)
            .String("hash", 64));
        builder.CreateIndex("audit_entries", "ix_audit_entries_created", unique: false, "created_ms");
        // Where verification starts (the last pruned entry, or nothing) and where the chain must end (the head):
        // a deleted tail or an appended forgery is caught by comparing against the head.
        builder.CreateTable("audit_chain", t => t
            .Int("id")
            .Long("anchor_id")
            .String("anchor_hash", 64)
            .Long("head_id")
            .String("head_hash", 64)
            .PrimaryKey("id"));
        builder.Sql("INSERT INTO audit_chain (id, anchor_id, anchor_hash, head_id, head_hash) VALUES (1, 0, '', 0, '')");
    }
}
