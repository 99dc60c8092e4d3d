using System.Text.Json;
using Dapper;
using Studio.Data;
using Microsoft.Extensions.Localization;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Tenancy;
using Studio.Host.Themes;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>
/// <see cref="IResellerDirectory"/> over the platform store's <c>resellers</c> table (one row per reseller, the
/// record as JSON, a version for optimistic concurrency). Writes are the operator's, except that a reseller may
/// change its own default brand and theme.
/// </summary>
public sealed class ResellerDirectory(
    StudioDatabase database,
    ShellHost shells,
    FeatureCatalog catalog,
    PlatformAudit audit,
    IServiceProvider services,
    TimeProvider clock,
    IStringLocalizer<ResellerDirectory> localizer) : IResellerDirectory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ResellerInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("SELECT id, version, data FROM resellers ORDER BY id", cancellationToken: cancellationToken));
        return rows.Select(ToInfo).ToList();
    }

    public async Task<ResellerInfo?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, version, data FROM resellers WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToInfo(row);
    }

    public async Task<ResellerInfo> SaveAsync(PlatformActor actor, ResellerInfo reseller, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        reseller = reseller with { Id = reseller.Id.Trim().ToLowerInvariant(), Name = reseller.Name.Trim(), Plans = reseller.Plans.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct().ToList() };
        var current = await GetAsync(reseller.Id, cancellationToken);
        if (!actor.IsOperator)
        {
            // A reseller edits only its own default brand and theme.
            if (actor.ResellerId != reseller.Id || current is null)
                throw new PlatformForbiddenException(localizer["Only an operator can manage resellers."]);
            reseller = current with { DefaultBrand = reseller.DefaultBrand, DefaultTheme = reseller.DefaultTheme };
        }
        await ValidateAsync(reseller, cancellationToken);
        if (current is not null && expectedVersion is null)
            throw new PlatformValidationException([localizer["A reseller with the id '{0}' already exists.", reseller.Id]]);
        var saved = reseller with { Version = Guid.NewGuid().ToString("N") };
        var data = JsonSerializer.Serialize(saved, Json);
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime);
        int changed;
        if (current is null)
        {
            try
            {
                changed = await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO resellers (id, version, data, updated_utc) VALUES (@id, @version, @data, @now)",
                    new { id = saved.Id, version = saved.Version, data, now }, cancellationToken: cancellationToken));
            }
            catch (System.Data.Common.DbException)
            {
                throw new PlatformConcurrencyException(localizer["The reseller '{0}' was created by someone else meanwhile.", saved.Id]);
            }
        }
        else
        {
            var expected = expectedVersion;
            changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE resellers SET version = @version, data = @data, updated_utc = @now WHERE id = @id AND version = @expected",
                new { id = saved.Id, version = saved.Version, data, now, expected }, cancellationToken: cancellationToken));
        }
        if (changed == 0)
            throw new PlatformConcurrencyException(localizer["The reseller '{0}' was changed by someone else. Reload it and apply your change again.", saved.Id]);
        await audit.RecordAsync(actor, current is null ? "reseller.created" : "reseller.updated", saved.Id, current, saved, cancellationToken);
        return saved;
    }

    public async Task DeleteAsync(PlatformActor actor, string id, CancellationToken cancellationToken = default)
    {
        if (!actor.IsOperator)
            throw new PlatformForbiddenException(localizer["Only an operator can manage resellers."]);
        var current = await GetAsync(id, cancellationToken)
            ?? throw new PlatformValidationException([localizer["There is no reseller '{0}'.", id]]);
        var owned = shells.Table.ByName.Values.Count(t => t.Reseller == id);
        if (owned > 0)
            throw new PlatformValidationException([localizer["The reseller '{0}' still owns {1} tenant(s): move or remove them first.", id, owned]]);
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM resellers WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        await audit.RecordAsync(actor, "reseller.removed", id, current, null, cancellationToken);
    }

    private async Task ValidateAsync(ResellerInfo reseller, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!TenantNames.IsValidName(reseller.Id))
            errors.Add(localizer["'{0}' is not a valid reseller id: use 2–40 lower-case letters, digits or dashes, starting with a letter.", reseller.Id]);
        if (reseller.Name.Length == 0)
            errors.Add(localizer["A reseller needs a name."]);
        if (reseller.TenantQuota < 0)
            errors.Add(localizer["The tenant quota cannot be negative."]);
        if (services.GetService<IPlanCatalog>() is { } plans)
            foreach (var plan in reseller.Plans)
                if (await plans.GetAsync(plan, cancellationToken) is null)
                    errors.Add(localizer["There is no plan '{0}'.", plan]);
        if (reseller.DefaultTheme is { Length: > 0 } theme && catalog.FindTheme(theme) is null)
            errors.Add(localizer["There is no theme '{0}'.", theme]);
        errors.AddRange(BrandValidator.Validate(reseller.DefaultBrand, localizer));
        if (errors.Count > 0)
            throw new PlatformValidationException(errors);
    }

    private static ResellerInfo ToInfo(Row row) =>
        (JsonSerializer.Deserialize<ResellerInfo>(row.Data, Json) ?? throw new InvalidDataException($"Reseller '{row.Id}' has an unreadable record."))
        with { Id = row.Id, Version = row.Version };

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Version { get; set; } = "";
        public string Data { get; set; } = "{}";
    }
}
