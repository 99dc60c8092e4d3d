using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Navigation;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>Registers the Portal area of Bookings: the client portal, the staff calendar and booking pages.</summary>
internal static class PortalServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<TenantTime>();
        services.AddScoped<ApproximatePrices>();
        services.AddScoped<SlotFinder>();
        services.AddScoped<PortalClients>();
        services.AddScoped<PortalHolds>();
        services.AddSingleton<INavigationProvider, PortalNavigation>();
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
