using Studio.Data;

namespace Studio.Modules.Bookings.Data;

/// <summary>
/// Engine (schema v4): the hold-expiry sweep and every booking transaction look for holds past their time, and the
/// plan limit counts the bookings created in a month — both by index instead of a table scan.
/// </summary>
public sealed class EngineMigration4 : DataMigration
{
    public override int Version => 4;

    public override void Up(MigrationBuilder b)
    {
        b.CreateIndex("bk_bookings", "ix_bk_bookings_status_hold", false, "status", "hold_expires_utc");
        b.CreateIndex("bk_allocations", "ix_bk_allocations_active_end", false, "resource_type", "resource_id", "end_utc");
    }
}
