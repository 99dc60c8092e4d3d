using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Navigation;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>Registers the Catalog area of Bookings: the catalogue, pricing, room photos, admin navigation, recipe step.</summary>
internal static class CatalogServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<IBookingCatalog, BookingCatalog>();
        services.AddSingleton<IBookingPricing, BookingPricing>();
        services.AddScoped<RoomPhotoStore>();
        services.AddSingleton<INavigationProvider, CatalogNavigation>();
        services.AddScoped<IRecipeStep, BookingsRecipeStep>();
    }

    public static void Map(IEndpointRouteBuilder endpoints) =>
        // Public (the rooms page shows them to everyone); from this tenant's own database only.
        endpoints.MapGet(RoomPhotoStore.PathPrefix + "{roomId:long}/{file}", async (HttpContext context, long roomId, string file, [FromServices] RoomPhotoStore photos) =>
        {
            var photo = await photos.FindAsync(roomId, file, context.RequestAborted);
            if (photo is null)
                return Results.NotFound();
            var headers = context.Response.Headers;
            // The id and hash are in the URL: the content behind it never changes.
            headers.CacheControl = "public, max-age=31536000, immutable";
            headers.XContentTypeOptions = "nosniff";
            // Only ever an image: nothing in it may run, load or be framed, even when opened directly.
            headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
            headers.ContentDisposition = $"inline; filename=\"room-{roomId}.{photo.Extension}\"";
            return Results.Bytes(photo.Bytes, photo.ContentType);
        });
}
