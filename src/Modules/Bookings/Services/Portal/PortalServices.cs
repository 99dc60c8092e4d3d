using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>Registers the Portal area of Bookings.</summary>
internal static class PortalServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
