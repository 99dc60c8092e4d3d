using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>Registers the Saml area of SSO.</summary>
internal static class SamlServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddSingleton<ISamlResponseValidator, SamlResponseValidator>();
    }

    public static void Configure(IApplicationBuilder tenantApp, TenantContext tenant)
    {
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
