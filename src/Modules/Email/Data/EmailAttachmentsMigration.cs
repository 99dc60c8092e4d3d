using Studio.Data;

namespace Studio.Modules.Email.Data;

/// <summary>Version 2: the files sent with a message (e.g. a booking's .ics), as JSON, stored with it.</summary>
public sealed class EmailAttachmentsMigration : DataMigration
{
    public override int Version => 2;

    public override void Up(MigrationBuilder builder) =>
        builder.AddColumn("email_outbox", t => t.Text("attachments", nullable: true));
}
