using Studio.Modules;

[assembly: Module("Api")]
[assembly: Feature(Studio.Modules.Api.ApiFeature.Id, "Management API",
    Description = "A REST API (/api/v1) over the platform's tenants, features, plans and domains, for operators and resellers, with API keys, idempotent creates and an OpenAPI document.",
    Category = "Platform",
    Dependencies = ["Studio.Identity"],
    DefaultTenantOnly = true,
    AlwaysEnabled = true)]

namespace Studio.Modules.Api;

/// <summary>The feature id of the management API.</summary>
public static class ApiFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Api";
}
