using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Recipes;
using Studio.Host.Themes;
using Studio.Recipes;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>What an operator provides to create a tenant.</summary>
public sealed record TenantCreateRequest
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public string? Prefix { get; init; }
    public string? Recipe { get; init; }
    public string? ConnectionString { get; init; }
    public string? Theme { get; init; }
    public string? Culture { get; init; }
    public string? TimeZone { get; init; }
    public IReadOnlyList<string> Features { get; init; } = [];
    public BrandSettings? Brand { get; init; }
    /// <summary>Plan id; the plan must allow the features (the recipe's too). Null: no plan, unrestricted.</summary>
    public string? Plan { get; init; }
    /// <summary>Owning reseller; null: the platform.</summary>
    public string? Reseller { get; init; }
}

/// <summary>A tenant change with invalid input; <see cref="Errors"/> lists every problem in plain words.</summary>
public sealed class TenantValidationException(IReadOnlyList<string> errors) : Exception(string.Join(" ", errors))
{
    /// <summary>One sentence per problem.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// The one write path for tenants: validates, saves to the platform store (version-checked) and applies the
/// change to this instance at once; other instances pick it up through <see cref="TenantChangeWatcher"/>.
/// Creation runs the setup recipe and leaves nothing behind when it fails.
/// </summary>
public sealed class TenantService(
    ITenantStore store,
    ShellHost shells,
    RecipeCatalog recipes,
    RecipeRunner runner,
    FeatureCatalog catalog,
    StudioDatabase database,
    IOptions<StudioOptions> options,
    TenantChangeNotifier notifier,
    IContentSanitizer sanitizer,
    Plans.PlanEnforcement plans,
    IStringLocalizer<TenantService> localizer,
    ILogger<TenantService> logger)
{
    /// <summary>Creates and sets up a tenant; it is Running when this returns.</summary>
    /// <exception cref="TenantValidationException">Input is invalid, or the recipe failed (nothing is kept).</exception>
    public async Task<TenantRecord> CreateAsync(TenantCreateRequest request, CancellationToken cancellationToken = default)
    {
        var recipe = request.Recipe is null ? null : LoadRecipe(request.Recipe);
        var draft = new TenantRecord
        {
            Name = request.Name.Trim(),
            DisplayName = request.DisplayName?.Trim() ?? recipe?.DisplayName ?? request.Name,
            State = TenantState.Initializing,
            Hosts = request.Hosts.Select(TenantNames.NormalizeHost).Where(h => h.Length > 0).Distinct().ToList(),
            Prefix = string.IsNullOrWhiteSpace(request.Prefix) ? null : request.Prefix.Trim().Trim('/').ToLowerInvariant(),
            ConnectionString = string.IsNullOrWhiteSpace(request.ConnectionString) ? null : request.ConnectionString,
            Recipe = recipe?.Name,
            Theme = request.Theme,
            Brand = request.Brand ?? new BrandSettings(),
            Plan = string.IsNullOrWhiteSpace(request.Plan) ? null : request.Plan.Trim(),
            Reseller = string.IsNullOrWhiteSpace(request.Reseller) ? null : request.Reseller.Trim(),
        };
        if (recipe is not null)
            draft = ApplyRecipe(draft, recipe);
        draft = draft with
        {
            Features = draft.Features.Concat(request.Features).Distinct().ToList(),
            Culture = request.Culture ?? draft.Culture,
            TimeZone = request.TimeZone ?? draft.TimeZone,
            Theme = request.Theme ?? draft.Theme ?? options.Value.DefaultTheme,
        };
        Validate(draft, isNew: true);
        await ValidatePlanAsync(draft, null, cancellationToken);
        draft = SanitizeBrand(draft, previous: null);
        // Secrets in clear (an SMTP password in the recipe's settings) are encrypted with the tenant's own keys,
        // which live in its database: the record is first saved without them, and gets them encrypted below,
        // once the tenant is activated — the clear value is never written anywhere.
        var settingsWithSecrets = draft.SettingsJson;
        var hasSecrets = SettingsSecretsProtection.HasPlaintext(settingsWithSecrets);
        if (hasSecrets)
            draft = draft with { SettingsJson = SettingsSecretsProtection.Strip(settingsWithSecrets) };

        TenantRecord saved;
        try { saved = await store.CreateAsync(draft, cancellationToken); }
        catch (TenantConflictException) { throw new TenantValidationException([localizer["A tenant named '{0}' already exists.", draft.Name]]); }
        shells.Apply(saved);

        try
        {
            var settings = saved.SettingsJson;
            if (recipe is not null || hasSecrets)
            {
                var shell = await shells.AcquireAsync(saved, cancellationToken);
                try
                {
                    if (recipe is not null)
                        await runner.RunFeatureStepsAsync(shell, recipe, cancellationToken);
                    if (hasSecrets)
                        settings = SettingsSecretsProtection.Protect(settingsWithSecrets, shell.Services.GetRequiredService<ISecretProtector>().Protect);
                }
                finally { shell.Leave(); }
            }
            saved = await store.UpdateAsync(saved with { State = TenantState.Running, SettingsJson = settings }, cancellationToken);
            shells.Apply(saved);
            logger.LogInformation("Created tenant {Tenant}", saved.Name);
            return saved;
        }
        catch (Exception e) when (e is RecipeException or MigrationException)
        {
            // Setup failed: take the tenant away entirely so no half-made tenant is left.
            await RemoveCoreAsync(saved, CancellationToken.None);
            throw new TenantValidationException([e.Message]);
        }
    }

    /// <summary>Changes a tenant. <paramref name="expectedVersion"/> guards against overwriting someone else's edit.</summary>
    /// <exception cref="TenantConcurrencyException">The tenant changed since <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="TenantValidationException">The result is invalid.</exception>
    public async Task<TenantRecord> UpdateAsync(string name, string? expectedVersion, Func<TenantRecord, TenantRecord> change,
        CancellationToken cancellationToken = default)
    {
        var current = await FindRequiredAsync(name, cancellationToken);
        if (expectedVersion is not null && expectedVersion != current.Version)
            throw new TenantConcurrencyException(name);
        var changed = change(current) with { Name = current.Name, Version = current.Version };
        changed = changed with
        {
            Hosts = changed.Hosts.Select(TenantNames.NormalizeHost).Distinct().ToList(),
            PrimaryHost = string.IsNullOrWhiteSpace(changed.PrimaryHost) ? null : TenantNames.NormalizeHost(changed.PrimaryHost),
            Prefix = string.IsNullOrWhiteSpace(changed.Prefix) ? null : changed.Prefix.Trim('/').ToLowerInvariant(),
        };
        Validate(changed, isNew: false);
        await ValidatePlanAsync(changed, current, cancellationToken);
        changed = SanitizeBrand(changed, current);
        if (SettingsSecretsProtection.HasPlaintext(changed.SettingsJson))
        {
            // Encrypted with the tenant's own key ring, the one its shell has cached.
            var shell = await shells.AcquireAsync(current, cancellationToken);
            try
            {
                var protector = shell.Services.GetRequiredService<ISecretProtector>();
                changed = changed with { SettingsJson = SettingsSecretsProtection.Protect(changed.SettingsJson, protector.Protect) };
            }
            finally { shell.Leave(); }
        }
        return await notifier.SaveAsync(current, changed, cancellationToken);
    }

    /// <summary>Disables or re-enables a tenant. Re-enabling clears a recorded failure.</summary>
    public Task<TenantRecord> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken = default) =>
        UpdateAsync(name, null, t => t.IsDefault && !enabled
            ? throw new TenantValidationException([localizer["The Default tenant cannot be disabled."]])
            : t with { State = enabled ? TenantState.Running : TenantState.Disabled, Error = enabled ? null : t.Error }, cancellationToken);

    /// <summary>Rebuilds a tenant's shell on its next request.</summary>
    public void Reload(string name) => shells.Release(name);

    /// <summary>Removes a disabled tenant and its data.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        var tenant = await FindRequiredAsync(name, cancellationToken);
        if (tenant.IsDefault)
            throw new TenantValidationException([localizer["The Default tenant cannot be removed."]]);
        if (tenant.State != TenantState.Disabled)
            throw new TenantValidationException([localizer["Disable the tenant '{0}' before removing it.", name]]);
        await RemoveCoreAsync(tenant, cancellationToken);
    }

    /// <summary>
    /// Takes a tenant away whatever its state (record, shell and storage): for undoing a creation that failed
    /// half-way (an import), never for an operator's removal.
    /// </summary>
    internal Task DiscardAsync(TenantRecord tenant, CancellationToken cancellationToken) => RemoveCoreAsync(tenant, cancellationToken);

    private async Task RemoveCoreAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        var latest = await store.FindAsync(tenant.Name, cancellationToken) ?? tenant;
        await store.DeleteAsync(latest, cancellationToken);
        shells.Remove(tenant.Name);
        await database.DropAsync(database.ForTenant(tenant), cancellationToken);
    }

    /// <summary>
    /// Custom CSS is stored sanitized (after validation has refused what is plainly unsafe, with a message); only
    /// when it changed, so an unrelated save never rewrites the brand.
    /// </summary>
    private TenantRecord SanitizeBrand(TenantRecord tenant, TenantRecord? previous)
    {
        if (tenant.Brand.CustomCss is not { } css || css == previous?.Brand.CustomCss)
            return tenant;
        var clean = sanitizer.SanitizeCss(css);
        return tenant with { Brand = tenant.Brand with { CustomCss = clean.Length == 0 ? null : clean } };
    }

    private async Task<TenantRecord> FindRequiredAsync(string name, CancellationToken cancellationToken) =>
        await store.FindAsync(name, cancellationToken) ?? throw new TenantValidationException([localizer["There is no tenant '{0}'.", name]]);

    private Recipe LoadRecipe(string name)
    {
        try { return recipes.Load(name); }
        catch (RecipeException e) { throw new TenantValidationException([e.Message]); }
    }

    private TenantRecord ApplyRecipe(TenantRecord draft, Recipe recipe)
    {
        try { return runner.ApplyHostSteps(draft, recipe); }
        catch (RecipeException e) { throw new TenantValidationException([e.Message]); }
    }

    private void Validate(TenantRecord tenant, bool isNew)
    {
        var errors = new List<string>();
        if (!TenantNames.IsValidName(tenant.Name))
            errors.Add(localizer["'{0}' is not a valid tenant name: use 2–40 lower-case letters, digits or dashes, starting with a letter.", tenant.Name]);
        if (isNew && shells.Table.ByName.ContainsKey(tenant.Name))
            errors.Add(localizer["A tenant named '{0}' already exists.", tenant.Name]);
        if (tenant.Prefix is not null && !TenantNames.IsValidPrefix(tenant.Prefix))
            errors.Add(localizer["'{0}' is not a valid URL prefix: use lower-case letters, digits or dashes.", tenant.Prefix]);
        if (tenant.ConnectionString is not null && database.Dialect != Studio.Data.SqlDialect.Postgres)
            errors.Add(localizer["A database of its own (a connection string) is only available when the platform runs on PostgreSQL; on SQLite every tenant has its own file already."]);
        if (!tenant.IsDefault && tenant.Hosts.Count == 0 && tenant.Prefix is null)
            errors.Add(localizer["A tenant needs at least one host name or a URL prefix."]);
        foreach (var host in tenant.Hosts)
        {
            if (!TenantNames.IsValidHost(host))
                errors.Add(localizer["'{0}' is not a valid host name.", host]);
            else if (tenant.Prefix is null && options.Value.DefaultTenantHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
                errors.Add(localizer["The host name '{0}' belongs to the platform.", host]);
            else if (shells.Table.ByName.Values.FirstOrDefault(other => other.Name != tenant.Name
                         && other.Hosts.Contains(host, StringComparer.OrdinalIgnoreCase)
                         && string.Equals(other.Prefix, tenant.Prefix, StringComparison.OrdinalIgnoreCase)) is { } owner)
                errors.Add(tenant.Prefix is null
                    ? localizer["The host name '{0}' is already used by tenant '{1}'.", host, owner.Name]
                    : localizer["The host name '{0}' with prefix '{1}' is already used by tenant '{2}'.", host, tenant.Prefix, owner.Name]);
        }
        if (tenant.PrimaryHost is not null && !tenant.Hosts.Contains(tenant.PrimaryHost, StringComparer.OrdinalIgnoreCase))
            errors.Add(localizer["The primary host '{0}' must be one of the tenant's host names.", tenant.PrimaryHost]);
        else if (tenant.PrimaryHost is not null && tenant.PrimaryHost.StartsWith("*.", StringComparison.Ordinal))
            errors.Add(localizer["A wildcard cannot be the primary host: requests need one name to go to."]);
        if (tenant.Hosts.Count == 0 && tenant.Prefix is not null
            && shells.Table.ByName.Values.FirstOrDefault(o => o.Name != tenant.Name && o.Hosts.Count == 0 && o.Prefix == tenant.Prefix) is { } prefixOwner)
            errors.Add(localizer["The URL prefix '{0}' is already used by tenant '{1}'.", tenant.Prefix, prefixOwner.Name]);
        foreach (var id in tenant.Features)
        {
            var feature = catalog.Find(id);
            if (feature is null)
                errors.Add(localizer["There is no feature '{0}'.", id]);
            else if (feature.DefaultTenantOnly && !tenant.IsDefault)
                errors.Add(localizer["The feature '{0}' is only available to the platform operator.", id]);
        }
        if (tenant.Theme is not null && catalog.FindTheme(tenant.Theme) is null)
            errors.Add(localizer["There is no theme '{0}'. Installed: {1}.", tenant.Theme, string.Join(", ", catalog.Themes.Select(t => t.Id))]);
        if (!IsCulture(tenant.Culture))
            errors.Add(localizer["'{0}' is not a known culture.", tenant.Culture]);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(tenant.TimeZone, out _))
            errors.Add(localizer["'{0}' is not a known time zone.", tenant.TimeZone]);
        errors.AddRange(BrandValidator.Validate(tenant.Brand, localizer));
        if (errors.Count > 0)
            throw new TenantValidationException(errors);
    }

    /// <summary>The plan must exist and allow the tenant's features (see <see cref="Plans.PlanEnforcement.ErrorsAsync"/>).</summary>
    private async Task ValidatePlanAsync(TenantRecord tenant, TenantRecord? previous, CancellationToken cancellationToken)
    {
        var errors = await plans.ErrorsAsync(tenant, previous, cancellationToken);
        if (errors.Count > 0)
            throw new TenantValidationException(errors);
    }

    private static bool IsCulture(string name)
    {
        try { return CultureInfo.GetCultureInfo(name, predefinedOnly: true).Name.Length > 0; }
        catch (CultureNotFoundException) { return false; }
    }
}
