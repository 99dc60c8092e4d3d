using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>Registers the Providers area of SSO.</summary>
internal static class ProviderServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<SsoProviderStore>();
        services.AddScoped<ISsoProviderStore>(sp => sp.GetRequiredService<SsoProviderStore>());
        services.AddScoped<Studio.Identity.IExternalProviderDirectory, SsoDirectory>();
        services.AddScoped<Studio.Identity.IPasswordSignInPolicy, SsoOnlyStaffPolicy>();
        services.AddScoped<Studio.Platform.ITenantSsoConfiguration, SsoApiConfiguration>();
        services.AddSingleton<Studio.Navigation.INavigationProvider, SsoNavigation>();
    }

    public static void Configure(IApplicationBuilder tenantApp, TenantContext tenant)
    {
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
