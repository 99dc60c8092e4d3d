using Studio.Modules;

[assembly: Module("Tenants")]
[assembly: Feature(Studio.Modules.Tenants.TenantsFeature.Id, "Tenants",
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
