using Studio.Modules;

[assembly: Module("Tenants")]
// The id is spelled out (it equals TenantsFeature.Id) so that the translation check reads the display name.
[assembly: Feature("Studio.Tenants", "Tenants",
    Description = "The platform operator's tenant administration: list, search, create, edit, reload, disable/enable, export and remove tenants; resellers.",
    Category = "Platform",
    Dependencies = ["Studio.Identity"],
    DefaultTenantOnly = true,
    AlwaysEnabled = true)]

namespace Studio.Modules.Tenants;

/// <summary>The feature id of the tenants administration.</summary>
public static class TenantsFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Tenants";
}
