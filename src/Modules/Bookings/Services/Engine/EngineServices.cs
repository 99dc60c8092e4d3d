using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>Registers the Engine area of Bookings.</summary>
internal static class EngineServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
