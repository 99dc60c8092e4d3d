using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>Registers the Catalog area of Bookings.</summary>
internal static class CatalogServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<IBookingCatalog, BookingCatalog>();
        services.AddSingleton<IBookingPricing, BookingPricing>();
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
