using Studio.Data;

namespace Studio.Modules.Email.Data;

/// <summary>Creates the outbox in each tenant's own database.</summary>
public sealed class EmailOutboxMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("email_outbox", t => t
            .Id()
            .String("message_id", 36)
            .String("to_address", 320)
            .String("to_name", 200)
            .String("subject", 500)
            .Text("html_body")
            .Text("text_body")
            .String("status", 16)
            .Int("attempts")
            .DateTimeUtc("next_attempt_utc")
            .DateTimeUtc("claimed_until_utc", nullable: true)
            .String("last_error", 500, nullable: true)
            .String("provider", 200, nullable: true)
            .DateTimeUtc("created_utc")
            .DateTimeUtc("sent_utc", nullable: true));
        // The idempotency key: one row per message id, whoever queues it and however often.
        builder.CreateIndex("email_outbox", "ux_email_outbox_message", unique: true, "message_id");
        builder.CreateIndex("email_outbox", "ix_email_outbox_due", unique: false, "status", "next_attempt_utc");
    }
}
