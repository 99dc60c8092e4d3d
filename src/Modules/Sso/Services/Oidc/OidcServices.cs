using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Oidc;

/// <summary>Registers the Oidc area of SSO.</summary>
internal static class OidcServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddSingleton<OidcSchemes>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIdConnectOptions>, OidcOptionsSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddTransient<StudioOidcHandler>();
    }

    public static void Configure(IApplicationBuilder tenantApp, TenantContext tenant)
    {
    }

    public static void Map(IEndpointRouteBuilder endpoints) => OidcEndpoints.Map(endpoints);
}
