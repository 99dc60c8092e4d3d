using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Settings.Services;
using Studio.Navigation;
using Studio.Tenancy;

namespace Studio.Modules.Settings;

/// <summary>Wires the owner's settings pages and serves the tenant's brand media.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<BrandMediaStore>();
        services.AddScoped<Studio.Platform.IBrandMediaStore>(sp => sp.GetRequiredService<BrandMediaStore>());
        services.AddSingleton<INavigationProvider, SettingsNavigation>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        // Public (the site's header shows the logo to everyone); from this tenant's own database only.
        endpoints.MapGet(BrandMediaStore.PathPrefix + "{file}", async (HttpContext context, string file, [FromServices] BrandMediaStore store) =>
        {
            var media = await store.FindAsync(file, context.RequestAborted);
            if (media is null)
                return Results.NotFound();
            var headers = context.Response.Headers;
            // The hash is in the URL: the content behind it never changes.
            headers.CacheControl = "public, max-age=31536000, immutable";
            headers.XContentTypeOptions = "nosniff";
            // Only ever an image: nothing in it may run, load or be framed, even when opened directly.
            headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
            headers.ContentDisposition = $"inline; filename=\"{media.Kind}.{media.Extension}\"";
            return Results.Bytes(media.Bytes, media.ContentType);
        });
}
