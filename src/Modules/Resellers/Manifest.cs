using Studio.Modules;

[assembly: Module("Resellers")]
[assembly: Feature(Studio.Modules.Resellers.ResellersFeature.Id, "Reseller area",
    Description = "The resellers' own area (/reseller): their tenants only — list, search, create within quota and granted plans, brand, theme and features within the plan — and their default brand.",
    Category = "Platform",
    Dependencies = ["Studio.Identity"],
    DefaultTenantOnly = true,
    AlwaysEnabled = true)]

namespace Studio.Modules.Resellers;

/// <summary>The feature id of the reseller area.</summary>
public static class ResellersFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Resellers";

    /// <summary>Root of the reseller area (Default tenant). Not under /admin: resellers are not tenant admins.</summary>
    public const string Path = "/reseller";
}
