using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Bookings;

/// <summary>
/// Wires Bookings into a tenant. Each area registers its own services in its own file
/// (<c>Services/*/…Services.cs</c>), so catalogue, clients, engine and portal stay independent.
/// </summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        Services.Catalog.CatalogServices.Add(services, tenant);
        Services.Clients.ClientServices.Add(services, tenant);
        Services.Engine.EngineServices.Add(services, tenant);
        Services.Portal.PortalServices.Add(services, tenant);
    }

    // Runs once per activation (the engine's hold-expiry sweep lives as long as the tenant's container).
    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        Services.Engine.EngineServices.Configure(tenantApp, tenant);

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        Services.Catalog.CatalogServices.Map(endpoints);
        Services.Clients.ClientServices.Map(endpoints);
        Services.Engine.EngineServices.Map(endpoints);
        Services.Portal.PortalServices.Map(endpoints);
    }
}
