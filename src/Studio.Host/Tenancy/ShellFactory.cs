using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Studio.Data;
using Studio.Host.Data;
using Studio.Host.Modules;
using Studio.Host.Security.KeyRings;
using Studio.Modules;
using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// Builds a tenant's shell: makes sure its database exists and is migrated for its enabled features, then
/// builds its container (host services + the startups of its features, in dependency order) and its pipeline.
/// </summary>
public sealed class ShellFactory(
    FeatureCatalog catalog,
    FeatureComponents components,
    HostServiceForwarder hostServices,
    StudioDatabase database,
    MigrationRunner migrations,
    IOptions<StudioOptions> options,
    TenantKeyRings keyRings,
    ILogger<ShellFactory> logger)
{
    private const string ErrorPath = "/Error";
    private long _generation;

    /// <summary>Number of activations so far (for diagnostics and tests).</summary>
    public long Activations => Interlocked.Read(ref _generation);

    /// <summary>The features that are on for a tenant: its choice, the always-enabled ones, and all dependencies.</summary>
    public IReadOnlyList<string> EffectiveFeatures(TenantRecord tenant) => catalog.WithDependencies(
        tenant.Features.Where(id => catalog.Find(id) is not null)
            .Concat(catalog.OrderedFeatures.Where(f => f.AlwaysEnabled && (!f.DefaultTenantOnly || tenant.IsDefault)).Select(f => f.Id)));

    /// <summary>Activates a tenant.</summary>
    /// <exception cref="MigrationException">Its migrations failed; nothing was built.</exception>
    public async Task<TenantShell> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var features = EffectiveFeatures(tenant);
        var tenantDatabase = database.ForTenant(tenant);
        await database.EnsureCreatedAsync(tenantDatabase, cancellationToken);
        await migrations.MigrateTenantAsync(tenantDatabase, features, cancellationToken);
        // Refuse keys encrypted with another master key here, with a clear error, rather than letting Data
        // Protection skip them and make new ones (every cookie, token and stored secret of the tenant lost).
        var storedKeys = await keyRings.VerifyAsync(tenant.Name, tenantDatabase, cancellationToken);

        var context = new TenantContext(
            tenant.Name,
            string.IsNullOrWhiteSpace(tenant.DisplayName) ? tenant.Name : tenant.DisplayName,
            tenant.IsDefault,
            tenant.Culture,
            tenant.TimeZone,
            ThemeOf(tenant),
            tenant.Brand,
            features.ToFrozenSet(StringComparer.Ordinal),
            new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(tenant.SettingsJson))).Build(),
            tenant.Version,
            tenant.Plan);

        IServiceCollection services = new ServiceCollection();
        foreach (var descriptor in hostServices.Descriptors)
            services.Add(descriptor);
        services.AddSingleton(context);
        services.AddSingleton(tenantDatabase);
        // The tenant's own key ring, stored in its database: antiforgery tokens, cookies and secrets protected by
        // tenant A cannot be read by tenant B. Host singletons forwarded into this container use the host
        // provider, which picks the request's shell's key ring at use time. Built once per activation (the ring
        // is cached inside) and disposed with the container.
        var keyRing = keyRings.Create(tenant.Name, tenantDatabase, storedKeys);
        services.AddSingleton(_ => keyRing);
        // Resolved through the container, so the container owns (and disposes) the ring.
        services.AddSingleton<IDataProtectionProvider>(sp => sp.GetRequiredService<TenantKeyRing>().Root);
        services.AddSingleton<Studio.Security.ISecretProtector, Security.DataProtectionSecretProtector>();
        // Localizers carrying the tenant's own wording. The HTML factory is registered again because the host's
        // is a shared instance wrapping the host's factory, which knows no tenant.
        var localization = Studio.Localization.LocalizationSettings.From(context.Configuration);
        var texts = new Localization.TenantTexts(localization);
        services.AddSingleton(texts);
        services.AddSingleton(Localization.TenantLanguages.From(localization));
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizerFactory>(sp =>
            new Localization.StudioStringLocalizerFactory(sp.GetRequiredService<Localization.Translations>(), texts));
        services.AddSingleton<Microsoft.AspNetCore.Mvc.Localization.IHtmlLocalizerFactory, Microsoft.AspNetCore.Mvc.Localization.HtmlLocalizerFactory>();
        services.AddSingleton<Microsoft.AspNetCore.Mvc.Localization.IViewLocalizer, Localization.StudioViewLocalizer>();
        // The event outbox (every tenant): publishing, and the dispatcher delivering to the handlers the enabled
        // features' startups register below.
        services.AddSingleton<Events.EventRegistry>();
        services.AddScoped<Events.EventOutbox>();
        services.AddScoped<Studio.Events.IEventOutbox>(sp => sp.GetRequiredService<Events.EventOutbox>());
        services.AddScoped<Studio.Events.IEventDeliveries>(sp => sp.GetRequiredService<Events.EventOutbox>());
        services.AddScoped<Events.EventDispatcher>();
        services.AddSingleton<Events.EventDispatchPump>();

        var enabled = context.EnabledFeatures;
        var startups = components.Startups
            .Where(s => s.RequiredFeatures.All(enabled.Contains))
            .Select(s => (Registration: s, Instance: (FeatureStartup)Activator.CreateInstance(s.Type)!))
            .OrderBy(s => s.Instance.Order)
            .ThenBy(s => features.IndexOf(s.Registration.FeatureId))
            .Select(s => s.Instance)
            .ToList();
        foreach (var startup in startups)
            startup.ConfigureServices(services, context);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var app = new ApplicationBuilder(provider);
        // The request's language first: the error pages below are translated too.
        app.UseMiddleware<Localization.RequestCultureMiddleware>();
        // First in the tenant's pipeline, so errors in its features' middleware get its themed error page too,
        // and empty 4xx/5xx answers (an unknown path, a disabled feature, a stale form) get a page, not a blank.
        app.UseExceptionHandler(ErrorPath);
        app.UseStatusCodePagesWithReExecute(ErrorPath);
        foreach (var startup in startups)
            startup.Configure(app, context);
        app.Run(TenantPipeline.ContinueWithHost);

        // Fixes the subscriptions and the activation instant, then delivers while the container lives.
        _ = provider.GetRequiredService<Events.EventRegistry>();
        provider.GetRequiredService<Events.EventDispatchPump>().Start();

        var generation = Interlocked.Increment(ref _generation);
        logger.LogInformation("Activated tenant {Tenant} (activation {Generation}, {Features} features) in {Elapsed} ms",
            tenant.Name, generation, features.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new TenantShell(tenant, context, provider, app.Build(), generation);
    }

    private string ThemeOf(TenantRecord tenant) =>
        tenant.Theme is { } theme && catalog.FindTheme(theme) is not null ? catalog.FindTheme(theme)!.Id : options.Value.DefaultTheme;
}

internal static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value)
                return i;
        return -1;
    }
}
