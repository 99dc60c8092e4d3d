using Studio.Data;

namespace Studio.Modules.Currencies.Data;

/// <summary>
/// The tenant's currency settings, its last known ECB rates (with their date, so they survive restarts and feed
/// outages) and its manual rates. Rates are kept as invariant decimal text: exact on both engines.
/// </summary>
public sealed class CurrenciesMigration : DataMigration
{
    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("cur_settings", t => t
            .Int("id")
            .String("base_currency", 3)
            .String("display_currencies", 100)
            .String("updated_utc", 40)
            .PrimaryKey("id"));
        builder.CreateTable("cur_rates", t => t
            .String("currency", 3)
            .String("rate", 40)
            .String("rate_date", 10)
            .String("fetched_utc", 40)
            .PrimaryKey("currency"));
        builder.CreateTable("cur_manual_rates", t => t
            .String("currency", 3)
            .String("rate", 40)
            .String("set_utc", 40)
            .String("set_by", 200)
            .PrimaryKey("currency"));
    }
}
