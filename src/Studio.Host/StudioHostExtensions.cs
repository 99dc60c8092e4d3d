using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Host.Diagnostics;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Studio.Host.Data;
using Studio.Host.Features;
using Studio.Host.Health;
using Studio.Host.Modules;
using Studio.Host.Recipes;
using Studio.Host.Security;
using Studio.Host.Security.KeyRings;
using Studio.Host.Tenancy;
using Studio.Host.Themes;
using Studio.Modules;

namespace Studio.Host;

/// <summary>Wires the multi-tenant host into an ASP.NET Core application.</summary>
public static class StudioHostExtensions
{
    /// <summary>Registers the host's services: modules, tenants, data, themes, Razor Pages.</summary>
    public static WebApplicationBuilder AddStudioHost(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StudioOptions>().Bind(builder.Configuration.GetSection(StudioOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<Studio.Navigation.NavigationMenu>();
        builder.Logging.AddStudioLogRules();
        // Translations come from the PO files every project embeds, merged once; English text is the key. Each tenant
        // container gets a factory of its own carrying the tenant's wording (ShellFactory); this one serves the host.
        services.AddSingleton(sp => Localization.Translations.FromProjectAssemblies(ProjectAssemblies.All));
        services.AddSingleton<Studio.Localization.ITranslationCatalog>(sp => sp.GetRequiredService<Localization.Translations>());
        services.AddSingleton<Localization.StudioStringLocalizerFactory>(sp =>
            new(sp.GetRequiredService<Localization.Translations>(), Localization.TenantTexts.None));
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizerFactory>(sp => sp.GetRequiredService<Localization.StudioStringLocalizerFactory>());
        services.AddLocalization();
        // Pages in six languages: write their letters as they are (é, ß, ã), not as &#xE9; entities. Encoding still
        // escapes everything HTML-significant; only the set of letters left alone is widened.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        // Every tenant has its own key ring, stored (encrypted with the master key) in its own database: see
        // TenantKeyRings. The host's provider hands out protectors that use the request's tenant's ring; only
        // work outside any tenant falls back to this in-memory ring, and nothing it protects is kept.
        services.AddHttpContextAccessor();
        services.AddDataProtection().SetApplicationName(TenantKeyRings.ApplicationName).UseEphemeralDataProtectionProvider();
        DecorateDataProtection(services);
        services.AddSingleton(sp => MasterKey.Load(
            sp.GetRequiredService<IOptions<StudioOptions>>().Value.DataProtection.MasterKey,
            sp.GetRequiredService<StudioDatabase>().DataPath,
            sp.GetRequiredService<ILogger<MasterKey>>()));
        services.AddSingleton<TenantKeyRings>();
        services.AddSingleton<Events.EventDeadLetters>();
        services.AddSingleton<Studio.Security.IContentSanitizer, ContentSanitizer>();

        services.AddSingleton<IModuleSource, AssemblyModuleSource>();
        services.AddSingleton<FeatureCatalog>();
        services.AddSingleton<FeatureComponents>();
        services.AddSingleton<StaticAssetGate>();
        services.AddSingleton<StudioDatabase>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<PlatformLock>();
        services.AddSingleton<PlatformSettings>();
        services.AddSingleton<ITenantStore, SqlTenantStore>();
        services.AddSingleton(sp => new HostServiceForwarder(services, sp));
        services.AddSingleton<ShellFactory>();
        services.AddSingleton<ShellHost>();
        services.AddSingleton<StatusPages>();
        services.AddSingleton<RecipeCatalog>();
        services.AddSingleton<RecipeRunner>();
        services.AddSingleton<TenantService>();
        services.AddSingleton<TenantChangeNotifier>();
        services.AddSingleton<FeatureManager>();
        services.AddSingleton<Platform.PlatformAudit>();
        services.AddSingleton<Platform.ResellerDirectory>();
        services.AddSingleton<Studio.Platform.IResellerDirectory>(sp => sp.GetRequiredService<Platform.ResellerDirectory>());
        services.AddSingleton<Platform.TenantAdministration>();
        services.AddSingleton<Studio.Platform.ITenantAdministration>(sp => sp.GetRequiredService<Platform.TenantAdministration>());
        services.AddSingleton<Studio.Platform.ITenantBrandMedia, Platform.TenantBrandMedia>();
        services.AddSingleton<Platform.TenantScopes>();
        services.AddSingleton<Studio.Platform.ITenantSsoAdministration, Platform.TenantSsoAdministration>();
        services.AddSingleton<Studio.Platform.ITenantCurrencyAdministration, Platform.TenantCurrencyAdministration>();
        // Plans: the catalog and the feature administration are host singletons (forwarded to tenants); the
        // tenant's own plan (limits, info) is transient, so each tenant container builds it with its TenantContext.
        services.AddSingleton<Plans.PlanRules>();
        services.AddSingleton<Plans.SqlPlanCatalog>();
        services.AddSingleton<Studio.Platform.IPlanCatalog>(sp => sp.GetRequiredService<Plans.SqlPlanCatalog>());
        services.AddSingleton<Plans.PlanEnforcement>();
        services.AddSingleton<Studio.Platform.IFeatureAdministration, Plans.FeatureAdministration>();
        services.AddTransient(sp => new Plans.TenantPlan(sp.GetRequiredService<Plans.PlanEnforcement>(), sp.GetRequiredService<Plans.PlanRules>(),
            sp.GetRequiredService<Studio.Tenancy.TenantContext>(), sp.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Plans.TenantPlan>>()));
        services.AddTransient<Studio.Platform.IPlanLimits>(sp => sp.GetRequiredService<Plans.TenantPlan>());
        services.AddTransient<Studio.Platform.IPlanInfo>(sp => sp.GetRequiredService<Plans.TenantPlan>());
        // The tenant's own settings: scoped, so each tenant container builds it bound to its own TenantContext.
        services.AddScoped<Studio.Platform.IOwnTenantSettings>(sp => ActivatorUtilities.CreateInstance<Platform.OwnTenantSettingsService>(sp));
        services.AddSingleton<StudioBootstrapper>();
        services.AddSingleton<TenantChangeWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<TenantChangeWatcher>());
        services.AddHostedService<TenantIdleReaper>();

        services.AddStudioForwardedHeaders();
        services.AddSingleton<Platform.Domains.DomainVerificationStore>();
        services.AddSingleton<Platform.Domains.DomainAdministration>();
        services.AddSingleton<Studio.Platform.IDomainAdministration>(sp => sp.GetRequiredService<Platform.Domains.DomainAdministration>());
        services.AddSingleton<Studio.Platform.IDnsTxtResolver, Platform.Domains.DnsTxtResolver>();
        // Scoped: copied into each tenant container, where it binds to that tenant's TenantContext.
        // A factory, so the root container (which has no TenantContext) does not try to validate it.
        services.AddScoped<Studio.Platform.ITenantDomains>(sp => new Platform.Domains.TenantDomains(
            sp.GetRequiredService<Platform.Domains.DomainAdministration>(), sp.GetRequiredService<Studio.Tenancy.TenantContext>(),
            sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddStudioRateLimiting(builder.Configuration);
        // Policies are role checks on the request's principal, the same for every tenant: registered once here.
        // Authentication schemes are per tenant (the Identity feature's startup), so a session never crosses tenants.
        services.AddStudioAuthorization();
        services.AddRazorPages().AddViewLocalization().AddDataAnnotationsLocalization();
        // One view localizer instead of one per view and request (see StudioViewLocalizer); tenants register their own.
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Mvc.Localization.IViewLocalizer, Localization.StudioViewLocalizer>());
        services.AddSingleton<IConfigureOptions<RazorPagesOptions>, ConfigureFeaturePages>();
        services.Configure<RazorViewEngineOptions>(o => o.ViewLocationExpanders.Insert(0, new ThemeViewLocationExpander()));
        RemoveKeyRingPreload(services);
        return builder;
    }

    /// <summary>
    /// Builds the request pipeline and prepares the platform. Throws — stopping start-up — when the module set
    /// is broken or the platform database cannot be prepared.
    /// </summary>
    public static async Task UseStudioHostAsync(this WebApplication app)
    {
        var catalog = app.Services.GetRequiredService<FeatureCatalog>();
        var components = app.Services.GetRequiredService<FeatureComponents>();
        EnsureApplicationParts(app.Services.GetRequiredService<ApplicationPartManager>(), catalog);
        await app.Services.GetRequiredService<StudioBootstrapper>().InitializeAsync(app.Lifetime.ApplicationStopping);

        // Before anything reads the host, scheme or client address: tenant resolution, primary-host redirects,
        // HSTS and the rate limiter's partitions. Honoured only from Studio:ForwardedHeaders' known proxies.
        // A connection without an address (a Unix socket, an in-process test server) is nobody's known proxy: the
        // framework's middleware would believe it, so it only sees connections that have one.
        app.UseWhen(context => context.Connection.RemoteIpAddress is not null, branch => branch.UseForwardedHeaders());
        app.UseMiddleware<RequestLogMiddleware>();
        // Before health and tenants, so every response carries the headers: status pages, static files, tenant pages.
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStudioHealth();
        // Error pages are handled at the start of each tenant's own pipeline (see ShellFactory), with the tenant's
        // prefix and services in place: in front of TenantMiddleware "/Error" would lose the prefix and be answered
        // by whichever tenant owns the bare path.
        app.UseMiddleware<TenantMiddleware>();
        // Static files come before routing and so before the feature gate: a module's or theme's assets are gated here.
        app.UseMiddleware<StaticAssetGateMiddleware>();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseMiddleware<FeatureGateMiddleware>();
        // After routing (policies are endpoint metadata) and inside the tenant (partitions are per tenant).
        app.UseRateLimiter();
        // After routing (the endpoint's [Authorize] metadata) and after the tenant's own pipeline has
        // authenticated the request with the tenant's scheme; challenges go to that tenant's sign-in page.
        app.UseAuthorization();

        app.MapRazorPages();
        app.MapBrandStylesheet();
        foreach (var startup in components.Startups)
        {
            var group = app.MapGroup("");
            foreach (var feature in startup.RequiredFeatures)
                group.WithMetadata(new FeatureEndpointMetadata(feature));
            // Every module endpoint under /admin is for the tenant's owners and admins, like the pages there.
            ((IEndpointConventionBuilder)group).Add(AdminAuthorization.Apply);
            ((FeatureStartup)Activator.CreateInstance(startup.Type)!).MapEndpoints(group);
        }
    }

    /// <summary>
    /// The ephemeral provider keeps its keys in memory, yet Data Protection's start-up service still loads the
    /// key ring that nothing here reads: on a machine without one it writes an unencrypted key to
    /// ~/.aspnet/DataProtection-Keys and logs a warning. Called after every AddDataProtection (Razor Pages'
    /// antiforgery adds it again), so the service stays out.
    /// </summary>
    private static void RemoveKeyRingPreload(IServiceCollection services)
    {
        const string preload = "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService";
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.FullName == preload).ToList())
            services.Remove(descriptor);
    }

    private static void EnsureApplicationParts(ApplicationPartManager parts, FeatureCatalog catalog)
    {
        var known = parts.ApplicationParts.OfType<AssemblyPart>().Select(p => p.Assembly).ToHashSet();
        foreach (var assembly in catalog.Modules.Select(m => m.Assembly).Concat(catalog.Themes.Select(t => t.Assembly)))
            if (assembly is not null && known.Add(assembly))
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    parts.ApplicationParts.Add(part);
    }

    private static void DecorateDataProtection(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IDataProtectionProvider));
        services.Remove(original);
        services.AddSingleton(sp => new TenantDataProtectionProvider(
            original.ImplementationInstance as IDataProtectionProvider
                ?? original.ImplementationFactory?.Invoke(sp) as IDataProtectionProvider
                ?? (IDataProtectionProvider)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
            sp.GetRequiredService<IHttpContextAccessor>()));
        services.AddSingleton<IDataProtectionProvider>(sp => sp.GetRequiredService<TenantDataProtectionProvider>());
    }

    private sealed class ConfigureFeaturePages(FeatureCatalog catalog) : IConfigureOptions<RazorPagesOptions>
    {
        public void Configure(RazorPagesOptions options)
        {
            options.Conventions.Add(new FeaturePageConvention(catalog));
            options.Conventions.Add(new AdminAuthorization());
        }
    }
}
