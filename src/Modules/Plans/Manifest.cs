using Studio.Modules;

[assembly: Module("Plans")]
[assembly: Feature(Studio.Modules.Plans.PlansFeature.Id, "Plans",
    Description = "The platform's plans (feature profiles with prices, limits and themes) and each tenant's features within its plan, for the operator.",
    Category = "Platform",
    DefaultTenantOnly = true,
    AlwaysEnabled = true,
    Dependencies = ["Studio.Identity"])]

namespace Studio.Modules.Plans;

/// <summary>The feature id of the plans module.</summary>
public static class PlansFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Plans";
}
