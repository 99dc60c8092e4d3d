using Studio.Data;

namespace Studio.Modules.TwoFactor.Data;

/// <summary>
/// The last accepted TOTP time step of each user: a code is accepted only for a later step than this, so the same
/// code (or an older one still inside the window) is never accepted twice.
/// </summary>
public sealed class TwoFactorMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder) =>
        builder.CreateTable(TotpStepStore.Table, t => t
            .String("user_id", 450)
            .Long("last_step")
            .DateTimeUtc("updated_utc")
            .PrimaryKey("user_id"));
}
