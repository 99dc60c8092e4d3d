using Microsoft.Extensions.Options;
using Studio.Data;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Security.KeyRings;
using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// Runs once before the host accepts requests: validates the module set (a broken or incomplete one — see
/// <see cref="PlatformRequirements"/> — stops start-up), brings the platform store's schema up to date, loads the
/// tenant table, and on the very first run creates the Default tenant and the demo studio.
/// A demo studio that could not be created is tried again at the next start, until it has been created once;
/// after that, an operator who removes it has removed it for good.
/// </summary>
public sealed class StudioBootstrapper(
    FeatureCatalog catalog,
    FeatureComponents components,
    StudioDatabase database,
    MigrationRunner migrations,
    ITenantStore store,
    ShellHost shells,
    TenantService tenants,
    TenantChangeWatcher watcher,
    PlatformLock platformLock,
    TenantKeyRings keyRings,
    PlatformSettings settings,
    IOptions<StudioOptions> options,
    ILogger<StudioBootstrapper> logger)
{
    /// <summary>Name of the demo tenant created on first run.</summary>
    public const string DemoTenant = "demo-studio";

    /// <summary>Platform setting present once the demo studio has been created (see <see cref="PlatformSettings"/>).</summary>
    public const string DemoSeededSetting = "demo-seeded";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Studio host: {Modules} modules, {Features} features, {Themes} themes, {Engine} storage",
            catalog.Modules.Count, catalog.OrderedFeatures.Count, catalog.Themes.Count, database.Dialect);
        _ = components.Startups; // scanning validates startups and migrations too
        PlatformRequirements.EnsureInstalled(catalog, options.Value.DefaultTheme);

        await database.EnsureCreatedAsync(database.Platform, cancellationToken);
        await migrations.ApplyAsync(database.Platform, MigrationRunner.PlatformMigrations(), cancellationToken);
        // A wrong master key stops start-up here, with a message saying which key the stored data needs (the
        // platform's own key ring is the Default tenant's, in this database).
        logger.LogInformation("Master key {MasterKeyId} from {Source}", keyRings.MasterKey.Id, keyRings.MasterKey.Source);
        await keyRings.VerifyAsync(TenantContext.DefaultName, database.Platform, cancellationToken);
        if (store is SqlTenantStore sql && await sql.ProtectPlaintextSecretsAsync(cancellationToken) is { Count: > 0 } protectedNow)
            logger.LogInformation("Encrypted the stored connection strings of {Tenants}", string.Join(", ", protectedNow));

        // Instances starting together on a new store: one seeds, the others wait and then load its result
        // (without the lock both see no Default tenant, and the second insert kills its host).
        await using (await platformLock.AcquireAsync("first-run", cancellationToken))
        {
            var changes = await store.ChangesSinceAsync(0, cancellationToken);
            EnsureFeaturesInstalled(changes.Changed);
            shells.Load(changes.Changed);
            watcher.StartFrom(changes.Revision);

            if (!shells.Table.ByName.ContainsKey(TenantContext.DefaultName))
                await CreateDefaultTenantAsync(cancellationToken);
            if (options.Value.SeedDemoTenant)
                await SeedDemoTenantAsync(cancellationToken);
        }
    }

    private async Task CreateDefaultTenantAsync(CancellationToken cancellationToken)
    {
        // Runs under the platform lock taken in InitializeAsync, so only one starting instance gets here.
        var defaultTenant = await store.CreateAsync(new TenantRecord
        {
            Name = TenantContext.DefaultName,
            DisplayName = "Studio",
            State = TenantState.Running,
            Theme = options.Value.DefaultTheme,
            Brand = new BrandSettings { DisplayName = "Studio" },
            // The platform's own trail: operators' and resellers' actions are recorded from the first run.
            // (The platform admin features — tenants, plans, resellers, API — are always on here.)
            Features = ["Studio.Audit"],
        }, cancellationToken);
        shells.Apply(defaultTenant);
        logger.LogInformation("Created the Default tenant");
    }

    /// <summary>
    /// Creates the demo studio unless it was created once already (the platform remembers it). A failure does not
    /// stop the platform from starting: it is logged, and the next start tries again.
    /// </summary>
    private async Task SeedDemoTenantAsync(CancellationToken cancellationToken)
    {
        // Runs under the platform lock taken in InitializeAsync, so only one starting instance gets here.
        if (await settings.GetAsync(DemoSeededSetting, cancellationToken) is not null)
            return;
        if (!shells.Table.ByName.ContainsKey(DemoTenant))
        {
            try
            {
                await tenants.CreateAsync(new TenantCreateRequest
                {
                    Name = DemoTenant,
                    Hosts = ["demo.localhost"],
                    Recipe = "demo-studio",
                }, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Could not create the demo tenant {Tenant}; the next start tries again", DemoTenant);
                return;
            }
            logger.LogInformation("Created the demo tenant {Tenant}", DemoTenant);
        }
        await settings.SetAsync(DemoSeededSetting, "true", cancellationToken);
    }

    /// <summary>
    /// A tenant using a feature that no installed module provides means this build lacks a module it needs:
    /// start-up stops and says which, rather than serving those tenants without it.
    /// </summary>
    private void EnsureFeaturesInstalled(IEnumerable<TenantRecord> tenants)
    {
        var missing = tenants
            .SelectMany(t => t.Features.Where(id => catalog.Find(id) is null).Select(id => (Tenant: t.Name, Feature: id)))
            .ToList();
        if (missing.Count > 0)
            throw new ModuleCatalogException(
                "This build lacks modules that tenants use (missing module): " +
                string.Join("; ", missing.GroupBy(m => m.Feature).Select(g => $"feature '{g.Key}' used by {string.Join(", ", g.Select(m => $"'{m.Tenant}'").Take(5))}{(g.Count() > 5 ? $" and {g.Count() - 5} more" : "")}")) +
                ". Install the module, or disable the feature on those tenants with the previous build.");
    }
}
