using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Api.Endpoints;
using Studio.Modules.Api.Services;
using Studio.Tenancy;

namespace Studio.Modules.Api;

/// <summary>
/// The management API in the Default tenant: API keys, the key authentication scheme (added next to Identity's
/// cookie schemes — this startup runs after Identity's, which rebuilt the tenant's authentication services), the
/// /api/v1 endpoints and their OpenAPI document.
/// </summary>
public sealed class Startup : FeatureStartup
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string OpenApiPath = ApiEndpoints.Base + "/openapi.json";

    /// <summary>The OpenAPI document's name.</summary>
    public const string DocumentName = "v1";

    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<ApiKeyStore>();
        services.AddScoped<IdempotencyStore>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddOpenApi(DocumentName, ApiOpenApi.Configure);
    }

    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        tenantApp.Use((context, next) =>
        {
            // The API answers with problem details itself: the tenant's themed HTML status pages are for browsers.
            if (context.Request.Path.StartsWithSegments(ApiEndpoints.Base) && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(context);
        });

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        ApiEndpoints.Map(endpoints);
        // No {documentName} in the pattern: the default document, "v1", is served.
        endpoints.MapOpenApi(OpenApiPath);
    }
}
