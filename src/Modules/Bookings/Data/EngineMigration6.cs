using Studio.Data;

namespace Studio.Modules.Bookings.Data;

/// <summary>
/// Engine (schema v6; v5 is the portal's): availability reads a room's or engineer's allocations by
/// (type, id, end) and needs only their times, booking and state — a covering index answers it without touching
/// the table (availability of a room over 90 days with 10,000 bookings: see bench/README.md).
/// </summary>
public sealed class EngineMigration6 : DataMigration
{
    public override int Version => 6;

    public override void Up(MigrationBuilder b) =>
        b.CreateIndex("bk_allocations", "ix_bk_allocations_busy", false, "resource_type", "resource_id", "end_utc", "start_utc", "active", "booking_id");
}
