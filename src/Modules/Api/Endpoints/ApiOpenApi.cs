using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Studio.Modules.Api.Endpoints;

/// <summary>The OpenAPI document: only /api/v1, with the API key security scheme on every operation.</summary>
internal static class ApiOpenApi
{
    public const string SecurityScheme = "apiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase) == true
            && !description.RelativePath.EndsWith("openapi.json", StringComparison.OrdinalIgnoreCase);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Studio Management API",
                Version = "v1",
                Description = "Tenants, features, plans, brands and domains of the platform. Authenticate with an API key from the Default " +
                    "tenant's /admin/api-keys page (Authorization: Bearer <key>, or X-Api-Key). Errors are RFC 7807 problem details. " +
                    "Updates need If-Match with the ETag of a GET (412/409 when stale, 428 without). POST creates accept Idempotency-Key.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key: stk_…",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] });
            return Task.CompletedTask;
        });
    }
}
