using Studio.Data;

namespace Studio.Modules.Identity.Data;

/// <summary>
/// The reseller a reseller account of the Default tenant acts for (an IResellerDirectory id); null for every other
/// account. Kept on the account row so the claim always comes from the server's data.
/// </summary>
public sealed class IdentityResellerMigration : DataMigration
{
    public override int Version => 2;

    public override void Up(MigrationBuilder builder) =>
        builder.AddColumn("identity_users", t => t.String("reseller_id", 64, nullable: true));
}
