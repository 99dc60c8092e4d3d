using Studio.Data;

namespace Studio.Modules.Hello.Data;

/// <summary>Creates the greetings table in each tenant's own database.</summary>
public sealed class GreetingsMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("hello_greetings", t => t
            .Id()
            .String("author", 80)
            .String("message", 500)
            .DateTimeUtc("created_utc"));
        builder.CreateIndex("hello_greetings", "ix_hello_greetings_created", unique: false, "created_utc");
    }
}
