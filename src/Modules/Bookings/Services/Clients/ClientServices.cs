using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>Registers the Clients area of Bookings.</summary>
internal static class ClientServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
