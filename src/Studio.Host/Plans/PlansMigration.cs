using System.Text.Json;
using Studio.Data;
using Studio.Platform;

namespace Studio.Host.Plans;

/// <summary>
/// The platform store's plan table, seeded with the four standard plans. A migration of its own (not a version
/// of the tenant table's) so other platform migrations merge beside it; the seed runs once, with the table, so a
/// plan the operator deleted never comes back on restart.
/// </summary>
internal sealed class PlansMigration : DataMigration
{
    public const string FeatureId = "Studio.Platform.Plans";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("plans", t => t
            .String("id", 40)
            .String("version", 40)
            .Text("data")
            .DateTimeUtc("updated_utc")
            .PrimaryKey("id"));
        foreach (var plan in PlanSeed.Plans)
        {
            var data = JsonSerializer.Serialize(plan with { Version = "" }, SqlPlanCatalog.Json).Replace("'", "''");
            var version = Guid.NewGuid().ToString("N");
            builder.Sql(
                sqlite: $"INSERT INTO plans (id, version, data, updated_utc) VALUES ('{plan.Id}', '{version}', '{data}', '{DateTime.UtcNow:O}')",
                postgres: $"INSERT INTO plans (id, version, data, updated_utc) VALUES ('{plan.Id}', '{version}', '{data}', now())");
        }
    }
}

/// <summary>The plans a new platform starts with; the operator edits them from there.</summary>
internal static class PlanSeed
{
    public static readonly IReadOnlyList<PlanDefinition> Plans =
    [
        new()
        {
            Id = "free", Name = "Free", MonthlyPrice = 0m, Currency = "EUR",
            Include = ["Studio.Identity", "Studio.Email", "Studio.Hello"],
            Themes = ["Aurora"],
            Limits = Limits(rooms: 1, staff: 2, bookings: 100, sms: 0),
        },
        new()
        {
            Id = "studio", Name = "Studio", MonthlyPrice = 29m, Currency = "EUR",
            Include = ["Studio.*"], Exclude = ["Studio.Audit"],
            Themes = ["Aurora", "Midnight"],
            Limits = Limits(rooms: 3, staff: 5, bookings: 1_000, sms: 200),
        },
        new()
        {
            Id = "pro", Name = "Pro", MonthlyPrice = 79m, Currency = "EUR",
            Include = ["Studio.*"],
            Limits = Limits(rooms: 10, staff: 25, bookings: 10_000, sms: 2_000),
        },
        new()
        {
            Id = "enterprise", Name = "Enterprise", MonthlyPrice = 249m, Currency = "EUR",
            Include = ["*"],
        },
    ];

    private static Dictionary<string, long> Limits(long rooms, long staff, long bookings, long sms) => new()
    {
        [PlanLimitKeys.Rooms] = rooms,
        [PlanLimitKeys.StaffAccounts] = staff,
        [PlanLimitKeys.BookingsPerMonth] = bookings,
        [PlanLimitKeys.SmsPerMonth] = sms,
    };
}
