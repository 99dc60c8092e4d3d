using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Localization;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Tenancy;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Host.Platform;

/// <summary>
/// <see cref="ITenantAdministration"/> over <see cref="TenantService"/> (validation, saves, live application) and
/// <see cref="ShellHost"/>'s in-memory table (queries: every record is there, so a search over 10,000 tenants is a
/// scan of memory — see bench/README.md). Confinement: an actor with a reseller id sees and touches only that
/// reseller's tenants, creates within its quota and granted plans, and never moves a tenant to another reseller.
/// Every action is recorded in the Default tenant's audit trail (<see cref="PlatformAudit"/>).
/// </summary>
public sealed class TenantAdministration(
    TenantService tenants,
    ITenantStore store,
    ShellHost shells,
    StudioDatabase database,
    MigrationRunner migrations,
    FeatureComponents components,
    IResellerDirectory resellers,
    Studio.Host.Recipes.RecipeCatalog recipes,
    FeatureCatalog catalog,
    PlatformAudit audit,
    PlatformLock platformLock,
    IServiceProvider services,
    TimeProvider clock,
    IStringLocalizer<TenantAdministration> localizer,
    ILogger<TenantAdministration> logger) : ITenantAdministration
{
    /// <summary>Format marker of an export document.</summary>
    public const string ExportFormat = "studio-tenant-export/1";

    /// <summary>Largest page a query returns.</summary>
    public const int MaxPageSize = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    private static readonly PlatformActor Operator = new("operator", "Operator");

    // The table's records sorted by name, computed once per table (a table is immutable and replaced on change).
    private (TenantTable Table, TenantRecord[] Sorted)? _sorted;

    public Task<TenantPage> QueryAsync(TenantQuery query, CancellationToken cancellationToken = default) => QueryAsync(Operator, query, cancellationToken);

    public Task<TenantInfo?> GetAsync(string name, CancellationToken cancellationToken = default) => GetAsync(Operator, name, cancellationToken);

    public Task<TenantPage> QueryAsync(PlatformActor actor, TenantQuery query, CancellationToken cancellationToken = default)
    {
        if (!actor.IsOperator)
            query = query with { Reseller = actor.ResellerId };
        return Task.FromResult(Query(SortedRecords(), query));
    }

    /// <summary>The query itself, over records sorted by name (public for the benchmark).</summary>
    public static TenantPage Query(IReadOnlyList<TenantRecord> sorted, TenantQuery query)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = Math.Max(1, query.Page);
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim();
        var plan = string.IsNullOrWhiteSpace(query.Plan) ? null : query.Plan.Trim();
        var reseller = string.IsNullOrWhiteSpace(query.Reseller) ? null : query.Reseller.Trim();
        var skip = (long)(page - 1) * pageSize;
        var items = new List<TenantInfo>(pageSize);
        var total = 0;
        foreach (var tenant in sorted)
        {
            if (query.State is { } state && tenant.State != state)
                continue;
            if (plan is not null && !string.Equals(tenant.Plan, plan, StringComparison.OrdinalIgnoreCase))
                continue;
            if (reseller is not null && !string.Equals(tenant.Reseller, reseller, StringComparison.Ordinal))
                continue;
            if (search is not null && !Matches(tenant, search))
                continue;
            if (total >= skip && items.Count < pageSize)
                items.Add(ToInfo(tenant));
            total++;
        }
        return new TenantPage(items, total, page, pageSize);
    }

    private static bool Matches(TenantRecord tenant, string search)
    {
        if (tenant.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
            || tenant.DisplayName.Contains(search, StringComparison.OrdinalIgnoreCase))
            return true;
        // An index loop: foreach over the IReadOnlyList would box an enumerator per tenant (~300 KB per 10,000).
        var hosts = tenant.Hosts;
        for (var i = 0; i < hosts.Count; i++)
            if (hosts[i].Contains(search, StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    private TenantRecord[] SortedRecords()
    {
        var table = shells.Table;
        var cached = _sorted;
        if (cached is { } c && ReferenceEquals(c.Table, table))
            return c.Sorted;
        var sorted = table.ByName.Values.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        _sorted = (table, sorted);
        return sorted;
    }

    public Task<TenantInfo?> GetAsync(PlatformActor actor, string name, CancellationToken cancellationToken = default)
    {
        var record = shells.Table.ByName.GetValueOrDefault(name);
        if (record is null)
            return Task.FromResult<TenantInfo?>(null);
        EnsureMayTouch(actor, record);
        return Task.FromResult<TenantInfo?>(ToInfo(record));
    }

    public async Task<TenantInfo> CreateAsync(PlatformActor actor, TenantDraft draft, CancellationToken cancellationToken = default)
    {
        var (reseller, plan) = await CheckOwnershipAsync(actor, draft.Reseller, draft.Plan, cancellationToken);
        var request = new TenantCreateRequest
        {
            Name = draft.Name?.Trim() ?? "",
            DisplayName = string.IsNullOrWhiteSpace(draft.DisplayName) ? null : draft.DisplayName,
            Hosts = draft.Hosts,
            Prefix = draft.Prefix,
            ConnectionString = draft.ConnectionString,
            Recipe = string.IsNullOrWhiteSpace(draft.Recipe) ? null : draft.Recipe,
            Theme = string.IsNullOrWhiteSpace(draft.Theme) ? reseller?.DefaultTheme : draft.Theme,
            Culture = string.IsNullOrWhiteSpace(draft.Culture) ? null : draft.Culture,
            TimeZone = string.IsNullOrWhiteSpace(draft.TimeZone) ? null : draft.TimeZone,
            Brand = draft.Brand ?? reseller?.DefaultBrand,
            Features = draft.Features,
            Plan = plan,
            Reseller = reseller?.Id,
        };
        var created = await WithinQuotaAsync(reseller, actor, () => Translate(() => tenants.CreateAsync(request, cancellationToken)), cancellationToken);
        var info = ToInfo(created);
        await audit.RecordAsync(actor, "tenant.created", created.Name, null, info, cancellationToken);
        return info;
    }

    public async Task<TenantInfo> UpdateAsync(PlatformActor actor, string name, string expectedVersion, TenantEdit edit, CancellationToken cancellationToken = default)
    {
        var current = Require(actor, name);
        if (edit.Reseller is not null && !string.Equals(edit.Reseller, current.Reseller ?? "", StringComparison.Ordinal))
        {
            if (!actor.IsOperator)
                throw new PlatformForbiddenException(localizer["A reseller cannot move a tenant to another reseller."]);
            if (edit.Reseller.Length > 0 && await resellers.GetAsync(edit.Reseller, cancellationToken) is null)
                throw new PlatformValidationException([localizer["There is no reseller '{0}'.", edit.Reseller]]);
        }
        if (edit.Plan is not null && !string.Equals(edit.Plan, current.Plan ?? "", StringComparison.Ordinal))
        {
            if (!actor.IsOperator)
            {
                var own = await resellers.GetAsync(actor.ResellerId!, cancellationToken);
                if (own is null || !own.Plans.Contains(edit.Plan))
                    throw new PlatformForbiddenException(localizer["The plan '{0}' is not granted to you.", edit.Plan]);
            }
            if (edit.Plan.Length > 0)
                await EnsurePlanExistsAsync(edit.Plan, cancellationToken);
        }
        var saved = await Translate(() => tenants.UpdateAsync(name, expectedVersion, t => t with
        {
            DisplayName = edit.DisplayName?.Trim() ?? t.DisplayName,
            Hosts = edit.Hosts ?? t.Hosts,
            PrimaryHost = edit.PrimaryHost is null ? t.PrimaryHost : edit.PrimaryHost.Length == 0 ? null : edit.PrimaryHost,
            Prefix = edit.Prefix is null ? t.Prefix : edit.Prefix.Length == 0 ? null : edit.Prefix,
            Theme = edit.Theme is null ? t.Theme : edit.Theme.Length == 0 ? null : edit.Theme,
            Culture = edit.Culture ?? t.Culture,
            TimeZone = edit.TimeZone ?? t.TimeZone,
            Brand = edit.Brand ?? t.Brand,
            Plan = edit.Plan is null ? t.Plan : edit.Plan.Length == 0 ? null : edit.Plan,
            Reseller = edit.Reseller is null ? t.Reseller : edit.Reseller.Length == 0 ? null : edit.Reseller,
        }, cancellationToken));
        if (saved.PrimaryHost is { } primary && !saved.Hosts.Contains(primary, StringComparer.OrdinalIgnoreCase))
            logger.LogDebug("Primary host {Host} of {Tenant} is not among its hosts", primary, name);
        var info = ToInfo(saved);
        await audit.RecordAsync(actor, "tenant.updated", name, ToInfo(current), info, cancellationToken);
        return info;
    }

    public async Task<TenantInfo> SetEnabledAsync(PlatformActor actor, string name, bool enabled, CancellationToken cancellationToken = default)
    {
        var current = Require(actor, name);
        var saved = await Translate(() => tenants.SetEnabledAsync(name, enabled, cancellationToken));
        await audit.RecordAsync(actor, enabled ? "tenant.enabled" : "tenant.disabled", name,
            new { State = current.State.ToString() }, new { State = saved.State.ToString() }, cancellationToken);
        return ToInfo(saved);
    }

    public async Task ReloadAsync(PlatformActor actor, string name, CancellationToken cancellationToken = default)
    {
        Require(actor, name);
        tenants.Reload(name);
        await audit.RecordAsync(actor, "tenant.reloaded", name, null, null, cancellationToken);
    }

    public async Task ExportAsync(PlatformActor actor, string name, Stream destination, CancellationToken cancellationToken = default)
    {
        var tenant = Require(actor, name);
        await WriteExportAsync(tenant, destination, cancellationToken);
        await audit.RecordAsync(actor, "tenant.exported", name, null, null, cancellationToken);
    }

    private async Task WriteExportAsync(TenantRecord tenant, Stream destination, CancellationToken cancellationToken)
    {
        var storage = database.ForTenant(tenant);
        // A tenant never activated has no storage yet: opening a SQLite file would create an empty one.
        var hasStorage = storage is not SqliteTenantDatabase sqlite || File.Exists(sqlite.FilePath);
        var document = new ExportDocument
        {
            Format = ExportFormat,
            ExportedUtc = clock.GetUtcNow().UtcDateTime,
            Engine = database.Dialect.ToString(),
            // The connection string holds a password: never exported; an import uses the platform's engine.
            Tenant = tenant with { ConnectionString = null, Version = "", Revision = 0 },
            HadOwnDatabase = tenant.ConnectionString is not null,
            Tables = hasStorage ? await TenantDataTransfer.ReadAllAsync(storage, cancellationToken) : [],
        };
        await JsonSerializer.SerializeAsync(destination, document, Json, cancellationToken);
    }

    public async Task<TenantInfo> ImportAsync(PlatformActor actor, Stream export, CancellationToken cancellationToken = default)
    {
        ExportDocument document;
        try
        {
            document = await JsonSerializer.DeserializeAsync<ExportDocument>(export, Json, cancellationToken)
                ?? throw new JsonException("empty");
        }
        catch (JsonException)
        {
            throw new PlatformValidationException([localizer["The file is not a tenant export."]]);
        }
        if (document.Format != ExportFormat || document.Tenant is null || string.IsNullOrWhiteSpace(document.Tenant.Name))
            throw new PlatformValidationException([localizer["The file is not a tenant export."]]);
        var record = document.Tenant;
        if (shells.Table.ByName.ContainsKey(record.Name))
            throw new PlatformValidationException([localizer["A tenant named '{0}' already exists: remove it (or rename the export's tenant) before importing.", record.Name]]);
        var (reseller, plan) = await CheckOwnershipAsync(actor, actor.IsOperator ? record.Reseller : actor.ResellerId, record.Plan, cancellationToken);

        var request = new TenantCreateRequest
        {
            Name = record.Name,
            DisplayName = record.DisplayName,
            Hosts = record.Hosts,
            Prefix = record.Prefix,
            Theme = record.Theme,
            Culture = record.Culture,
            TimeZone = record.TimeZone,
            Brand = record.Brand,
            Features = record.Features,
            Plan = plan,
            Reseller = reseller?.Id,
        };
        var created = await WithinQuotaAsync(reseller, actor, () => Translate(() => tenants.CreateAsync(request, cancellationToken)), cancellationToken);
        try
        {
            var storage = database.ForTenant(created);
            // Tables of features the tenant once had (their migrations are in its history) exist in the export even
            // when the feature is now off: create them too, then activate (host tables and current features).
            var history = document.Tables.FirstOrDefault(t => t.Name == MigrationRunner.HistoryTable);
            var featureColumn = history?.Columns.ToList().IndexOf("feature_id") ?? -1;
            var pastFeatures = history is null || featureColumn < 0 ? [] : history.Rows
                .Select(r => r[featureColumn].GetString()!)
                .Where(id => components.Migrations.Any(m => m.FeatureId == id))
                .Distinct().ToList();
            var shell = await shells.AcquireAsync(created, cancellationToken);
            shell.Leave();
            if (pastFeatures.Count > 0)
                await migrations.MigrateAsync(storage, pastFeatures, cancellationToken);
            await TenantDataTransfer.ReplaceAllAsync(storage, document.Tables, localizer, cancellationToken);
            // Settings keep their secrets encrypted with the tenant's key ring, which the rows above brought back.
            created = await tenants.UpdateAsync(created.Name, null, t => t with
            {
                SettingsJson = record.SettingsJson,
                PrimaryHost = record.PrimaryHost,
                Recipe = record.Recipe,
                // Exported disabled (as before a removal), it comes back disabled: the operator turns it on.
                State = record.State == TenantState.Disabled ? TenantState.Disabled : t.State,
            }, cancellationToken);
            // The shell cached the key ring made at activation: the next request builds one with the imported ring.
            shells.Release(created.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Import of tenant {Tenant} failed; removing what was created", created.Name);
            var latest = shells.Table.ByName.GetValueOrDefault(created.Name) ?? created;
            await tenants.DiscardAsync(latest, CancellationToken.None);
            throw new PlatformValidationException([localizer["The import of '{0}' failed and nothing was kept: {1}", created.Name,
                e is TenantValidationException v ? string.Join(" ", v.Errors) : e.Message]]);
        }
        var info = ToInfo(created);
        await audit.RecordAsync(actor, "tenant.imported", created.Name, null, info, cancellationToken);
        return info;
    }

    public async Task<string> RemoveAsync(PlatformActor actor, string name, string confirmation, CancellationToken cancellationToken = default)
    {
        var tenant = Require(actor, name);
        if (tenant.IsDefault)
            throw new PlatformValidationException([localizer["The Default tenant cannot be removed."]]);
        if (tenant.State != TenantState.Disabled)
            throw new PlatformValidationException([localizer["Disable the tenant '{0}' before removing it.", name]]);
        if (!string.Equals(confirmation?.Trim(), name, StringComparison.Ordinal))
            throw new PlatformValidationException([localizer["Type the tenant's name '{0}' to confirm its removal.", name]]);

        var folder = Path.Combine(database.DataPath, "Exports");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}-{clock.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.json");
        var partial = path + ".partial";
        await using (var file = File.Create(partial))
            await WriteExportAsync(tenant, file, cancellationToken);
        File.Move(partial, path, overwrite: true);

        await Translate(async () => { await tenants.RemoveAsync(name, cancellationToken); return 0; });
        await audit.RecordAsync(actor, "tenant.removed", name, ToInfo(tenant), new { Export = path }, cancellationToken);
        return path;
    }

    public IReadOnlyList<string> Recipes => recipes.Names();

    public IReadOnlyList<string> Themes => catalog.Themes.Select(t => t.Id).ToList();

    /// <summary>Maps a record to the administration's view (the connection string never leaves the host).</summary>
    public static TenantInfo ToInfo(TenantRecord t) => new()
    {
        Name = t.Name,
        DisplayName = t.DisplayName,
        State = t.State,
        Hosts = t.Hosts,
        PrimaryHost = t.PrimaryHost,
        Prefix = t.Prefix,
        HasOwnDatabase = t.ConnectionString is not null,
        Features = t.Features,
        Theme = t.Theme,
        Brand = t.Brand,
        Culture = t.Culture,
        TimeZone = t.TimeZone,
        Plan = t.Plan,
        Reseller = t.Reseller,
        Error = t.Error,
        Version = t.Version,
        CreatedUtc = t.CreatedUtc,
        UpdatedUtc = t.UpdatedUtc,
    };

    private TenantRecord Require(PlatformActor actor, string name)
    {
        var record = shells.Table.ByName.GetValueOrDefault(name);
        if (record is null)
        {
            // A reseller learns nothing about names it does not own: the same answer as for another's tenant.
            if (!actor.IsOperator)
                throw new PlatformForbiddenException(localizer["There is no tenant '{0}'.", name]);
            throw new PlatformValidationException([localizer["There is no tenant '{0}'.", name]]);
        }
        EnsureMayTouch(actor, record);
        return record;
    }

    private void EnsureMayTouch(PlatformActor actor, TenantRecord record)
    {
        if (!actor.IsOperator && !string.Equals(record.Reseller, actor.ResellerId, StringComparison.Ordinal))
            throw new PlatformForbiddenException(localizer["There is no tenant '{0}'.", record.Name]);
    }

    /// <summary>The owning reseller and plan of a new tenant, checked against the actor's rights.</summary>
    private async Task<(ResellerInfo? Reseller, string? Plan)> CheckOwnershipAsync(PlatformActor actor, string? resellerId, string? plan,
        CancellationToken cancellationToken)
    {
        plan = string.IsNullOrWhiteSpace(plan) ? null : plan.Trim();
        resellerId = string.IsNullOrWhiteSpace(resellerId) ? null : resellerId.Trim();
        ResellerInfo? reseller = null;
        if (!actor.IsOperator)
        {
            if (resellerId is not null && resellerId != actor.ResellerId)
                throw new PlatformForbiddenException(localizer["A reseller cannot create tenants for another reseller."]);
            reseller = await resellers.GetAsync(actor.ResellerId!, cancellationToken)
                ?? throw new PlatformForbiddenException(localizer["There is no reseller '{0}'.", actor.ResellerId!]);
            if (plan is null)
                throw new PlatformValidationException([localizer["Choose one of your plans: {0}.", string.Join(", ", reseller.Plans)]]);
            if (!reseller.Plans.Contains(plan))
                throw new PlatformForbiddenException(localizer["The plan '{0}' is not granted to you.", plan]);
        }
        else if (resellerId is not null)
        {
            reseller = await resellers.GetAsync(resellerId, cancellationToken)
                ?? throw new PlatformValidationException([localizer["There is no reseller '{0}'.", resellerId]]);
        }
        if (plan is not null)
            await EnsurePlanExistsAsync(plan, cancellationToken);
        return (reseller, plan);
    }

    private async Task EnsurePlanExistsAsync(string plan, CancellationToken cancellationToken)
    {
        // The plan catalog is another part of the platform; without it there is nothing to check against.
        if (services.GetService<IPlanCatalog>() is { } catalog && await catalog.GetAsync(plan, cancellationToken) is null)
            throw new PlatformValidationException([localizer["There is no plan '{0}'.", plan]]);
    }

    /// <summary>
    /// Runs a creation under the reseller's lock when a reseller acts, so two creations at once cannot both take
    /// the last place of its quota.
    /// </summary>
    private async Task<T> WithinQuotaAsync<T>(ResellerInfo? reseller, PlatformActor actor, Func<Task<T>> create, CancellationToken cancellationToken)
    {
        if (reseller is null || actor.IsOperator)
            return await create();
        await using (await platformLock.AcquireAsync("reseller-" + reseller.Id, cancellationToken))
        {
            var owned = (await store.LoadAllAsync(cancellationToken)).Count(t => t.Reseller == reseller.Id);
            if (owned >= reseller.TenantQuota)
                throw new PlatformValidationException([localizer["Your quota of {0} tenant(s) is used up.", reseller.TenantQuota]]);
            return await create();
        }
    }

    private async Task<T> Translate<T>(Func<Task<T>> action)
    {
        try { return await action(); }
        catch (TenantValidationException e) { throw new PlatformValidationException(e.Errors); }
        catch (TenantConcurrencyException) { throw new PlatformConcurrencyException(localizer["The tenant was changed by someone else. Reload it and apply your change again."]); }
    }

    /// <summary>The export document: the record (settings with secrets still encrypted) and every table's rows.</summary>
    private sealed class ExportDocument
    {
        public string Format { get; set; } = "";
        public DateTime ExportedUtc { get; set; }
        public string Engine { get; set; } = "";
        public TenantRecord? Tenant { get; set; }
        public bool HadOwnDatabase { get; set; }
        public IReadOnlyList<TableDump> Tables { get; set; } = [];
    }
}
