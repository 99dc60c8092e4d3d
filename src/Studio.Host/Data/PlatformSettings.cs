using Dapper;
using Studio.Data;

namespace Studio.Host.Data;

/// <summary>
/// Small facts the platform remembers about itself across restarts (in the platform store, next to the tenant
/// records), such as "the demo studio was seeded once": things no tenant record can carry.
/// </summary>
public sealed class PlatformSettings(StudioDatabase database)
{
    /// <summary>Name of the table.</summary>
    public const string Table = "platform_settings";

    /// <summary>The value stored under <paramref name="name"/>, or null.</summary>
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            $"SELECT value FROM {Table} WHERE name = @name", new { name }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="name"/>, replacing what was there.</summary>
    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {Table} (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            new { name, value }, cancellationToken: cancellationToken));
    }
}

/// <summary>Schema of <see cref="PlatformSettings"/>.</summary>
internal sealed class PlatformSettingsMigration : DataMigration
{
    public const string FeatureId = "Studio.Platform.Settings";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable(PlatformSettings.Table, t => t
            .String("name", 100)
            .Text("value")
            .PrimaryKey("name"));
        // A store whose first run happened before this table existed has had its one chance to seed the demo
        // studio: whether it is there or the operator removed it, it must not come back now.
        builder.Sql($"INSERT INTO {PlatformSettings.Table} (name, value) SELECT '{Tenancy.StudioBootstrapper.DemoSeededSetting}', 'true' FROM tenants WHERE name = '{Studio.Tenancy.TenantContext.DefaultName}'");
    }
}
