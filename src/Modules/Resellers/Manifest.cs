using Studio.Modules;

[assembly: Module("Resellers")]
// The id is spelled out (it equals ResellersFeature.Id) so that the translation check reads the display name.
[assembly: Feature("Studio.Resellers", "Reseller area",
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
