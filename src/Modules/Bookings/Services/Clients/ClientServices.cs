using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Navigation;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>Registers the Clients area of Bookings.</summary>
internal static class ClientServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<ClientRules>();
        services.AddScoped<ClientDirectory>();
        services.AddScoped<IClientDirectory>(sp => sp.GetRequiredService<ClientDirectory>());
        services.AddScoped<ClientCsv>();
        services.AddScoped<ClientVCards>();
        services.AddScoped<ClientImport>();
        services.AddSingleton<INavigationProvider, ClientNavigation>();
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
