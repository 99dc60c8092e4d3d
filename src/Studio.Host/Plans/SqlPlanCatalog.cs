using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Data;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Platform;
using Studio.Host.Tenancy;
using Studio.Platform;

namespace Studio.Host.Plans;

/// <summary>
/// <see cref="IPlanCatalog"/> over the platform store: one row per plan, the definition as JSON (the price a JSON
/// number, so a decimal keeps every digit). Saves are validated (nothing is written when anything is wrong) and
/// version-checked; a plan some tenant uses cannot be deleted. Changes are audited in the Default tenant's trail.
/// </summary>
public sealed partial class SqlPlanCatalog(
    StudioDatabase database,
    ITenantStore tenants,
    FeatureCatalog features,
    PlatformAudit audit,
    TimeProvider clock,
    IStringLocalizer<SqlPlanCatalog> localizer) : IPlanCatalog
{
    /// <summary>Currencies a price may be in: the platform's supported ones (<see cref="Studio.Currencies.Currency.Supported"/>).</summary>
    public static IReadOnlyList<string> Currencies => Studio.Currencies.Currency.SupportedCodes;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex SlugPattern();

    public async Task<IReadOnlyList<PlanDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition("SELECT id, version, data FROM plans", cancellationToken: cancellationToken));
        // Cheapest first: the order an operator (and a price list) expects.
        return rows.Select(ToPlan).OrderBy(p => p.MonthlyPrice).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<PlanDefinition?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.Platform.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT id, version, data FROM plans WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToPlan(row);
    }

    public async Task<PlanDefinition> SaveAsync(PlatformActor actor, PlanDefinition plan, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        if (!actor.IsOperator)
            throw new PlatformForbiddenException(localizer["Only the platform operator can change plans."]);
        plan = Normalize(plan);
        var errors = Validate(plan);
        if (errors.Count > 0)
            throw new PlatformValidationException(errors);

        var saved = plan with { Version = Guid.NewGuid().ToString("N") };
        var data = JsonSerializer.Serialize(saved with { Version = "" }, Json);
        var now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime);
        PlanDefinition? before;
        await using (var connection = await database.Platform.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                "SELECT id, version, data FROM plans WHERE id = @id", new { id = plan.Id }, transaction, cancellationToken: cancellationToken));
            before = row is null ? null : ToPlan(row);
            if (expectedVersion is null)
            {
                if (before is not null)
                    throw new PlatformValidationException([localizer["A plan with the id '{0}' already exists.", plan.Id]]);
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO plans (id, version, data, updated_utc) VALUES (@id, @version, @data, @now)",
                        new { id = plan.Id, version = saved.Version, data, now }, transaction, cancellationToken: cancellationToken));
                }
                catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation)
                {
                    throw new PlatformValidationException([localizer["A plan with the id '{0}' already exists.", plan.Id]]);
                }
            }
            else
            {
                // The version in the WHERE clause is what refuses a concurrent edit, whatever was read above.
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE plans SET version = @version, data = @data, updated_utc = @now WHERE id = @id AND version = @expected",
                    new { id = plan.Id, version = saved.Version, data, now, expected = expectedVersion }, transaction, cancellationToken: cancellationToken));
                if (changed == 0)
                    throw before is null
                        ? new PlatformValidationException([localizer["There is no plan '{0}'.", plan.Id]])
                        : new PlatformConcurrencyException(localizer["The plan '{0}' was changed by someone else meanwhile; reload it and make your change again.", plan.Id]);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await audit.RecordAsync(actor, before is null ? "platform.plan.created" : "platform.plan.changed", plan.Id, before, saved, cancellationToken);
        return saved;
    }

    public async Task DeleteAsync(PlatformActor actor, string id, CancellationToken cancellationToken = default)
    {
        if (!actor.IsOperator)
            throw new PlatformForbiddenException(localizer["Only the platform operator can change plans."]);
        var plan = await GetAsync(id, cancellationToken)
            ?? throw new PlatformValidationException([localizer["There is no plan '{0}'.", id]]);
        var users = (await tenants.LoadAllAsync(cancellationToken)).Where(t => t.Plan == id).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        if (users.Count > 0)
            throw new PlatformValidationException([localizer["The plan '{0}' is used by {1} tenant(s) ({2}); move them to another plan before deleting it.",
                plan.Name, users.Count, string.Join(", ", users.Take(10)) + (users.Count > 10 ? ", …" : "")]]);
        await using (var connection = await database.Platform.OpenConnectionAsync(cancellationToken))
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM plans WHERE id = @id AND version = @version", new { id, version = plan.Version }, cancellationToken: cancellationToken));
            if (deleted == 0)
                throw new PlatformConcurrencyException(localizer["The plan '{0}' was changed by someone else meanwhile; reload it and try again.", id]);
        }
        await audit.RecordAsync(actor, "platform.plan.deleted", id, plan, null, cancellationToken);
    }

    private static PlanDefinition Normalize(PlanDefinition plan) => plan with
    {
        Id = plan.Id.Trim().ToLowerInvariant(),
        Name = plan.Name.Trim(),
        Currency = plan.Currency.Trim().ToUpperInvariant(),
        Include = Clean(plan.Include),
        Exclude = Clean(plan.Exclude),
        Themes = Clean(plan.Themes),
    };

    private static List<string> Clean(IEnumerable<string> values) =>
        values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Everything wrong with a plan, as user-facing messages (empty when it is fine).</summary>
    public IReadOnlyList<string> Validate(PlanDefinition plan)
    {
        var errors = new List<string>();
        if (!SlugPattern().IsMatch(plan.Id))
            errors.Add(localizer["'{0}' is not a valid plan id: use 2–40 lower-case letters, digits or dashes, starting with a letter.", plan.Id]);
        if (plan.Name.Length is 0 or > 100)
            errors.Add(localizer["Give the plan a name (up to 100 characters)."]);
        if (plan.MonthlyPrice < 0)
            errors.Add(localizer["The monthly price cannot be negative."]);
        if (decimal.Round(plan.MonthlyPrice, 2) != plan.MonthlyPrice || plan.MonthlyPrice > 1_000_000m)
            errors.Add(localizer["The monthly price must have at most two decimals and be at most 1,000,000."]);
        if (!Currencies.Contains(plan.Currency))
            errors.Add(localizer["'{0}' is not a supported currency; use one of {1}.", plan.Currency, string.Join(", ", Currencies)]);
        foreach (var rule in plan.Include.Concat(plan.Exclude))
        {
            var known = rule.EndsWith('*')
                ? features.OrderedFeatures.Any(f => PlanRules.Matches(rule, f.Id))
                : features.Find(rule) is not null;
            if (!known)
                errors.Add(rule.EndsWith('*')
                    ? localizer["The rule '{0}' matches no installed feature.", rule]
                    : localizer["There is no feature '{0}'.", rule]);
        }
        foreach (var theme in plan.Themes.Where(t => features.FindTheme(t) is null))
            errors.Add(localizer["There is no theme '{0}'. Installed: {1}.", theme, string.Join(", ", features.Themes.Select(t => t.Id))]);
        foreach (var (key, value) in plan.Limits)
        {
            if (string.IsNullOrWhiteSpace(key))
                errors.Add(localizer["A limit needs a name."]);
            else if (value < 0)
                errors.Add(localizer["The limit '{0}' cannot be negative.", key]);
        }
        return errors;
    }

    private static PlanDefinition ToPlan(Row row) =>
        (JsonSerializer.Deserialize<PlanDefinition>(row.Data, Json) ?? throw new InvalidDataException($"Plan '{row.Id}' has an unreadable record."))
        with { Id = row.Id, Version = row.Version };

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Version { get; set; } = "";
        public string Data { get; set; } = "{}";
    }
}
