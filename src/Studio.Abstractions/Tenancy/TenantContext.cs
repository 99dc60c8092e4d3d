using Microsoft.Extensions.Configuration;

namespace Studio.Tenancy;

/// <summary>
/// What a module may know about the tenant it runs for. One instance per tenant activation, registered as a
/// singleton in the tenant's container; it never changes — a change to the tenant builds a new container.
/// </summary>
public sealed class TenantContext
{
    /// <summary>Creates the context of one tenant activation.</summary>
    public TenantContext(string name, string displayName, bool isDefault, string culture, string timeZone,
        string theme, BrandSettings brand, IReadOnlySet<string> enabledFeatures, IConfiguration configuration,
        string version, string? plan = null)
    {
        Plan = plan;
        Name = name;
        DisplayName = displayName;
        IsDefault = isDefault;
        Culture = culture;
        TimeZone = timeZone;
        Theme = theme;
        Brand = brand;
        EnabledFeatures = enabledFeatures;
        Configuration = configuration;
        Version = version;
    }

    /// <summary>The Default tenant's name: the platform operator's own tenant.</summary>
    public const string DefaultName = "Default";

    /// <summary>Unique slug of the tenant.</summary>
    public string Name { get; }

    /// <summary>Display name (the brand name when none is set).</summary>
    public string DisplayName { get; }

    /// <summary>True for the platform operator's Default tenant.</summary>
    public bool IsDefault { get; }

    /// <summary>Default culture, e.g. <c>en-GB</c>.</summary>
    public string Culture { get; }

    /// <summary>IANA time zone id, e.g. <c>Europe/Paris</c>.</summary>
    public string TimeZone { get; }

    /// <summary>Active theme id.</summary>
    public string Theme { get; }

    /// <summary>Brand tokens applied over the theme.</summary>
    public BrandSettings Brand { get; }

    /// <summary>Ids of the features enabled on this tenant (dependencies included).</summary>
    public IReadOnlySet<string> EnabledFeatures { get; }

    /// <summary>The tenant's settings bag as configuration: bind module options from a section of it.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Version of the tenant record this activation was built from.</summary>
    public string Version { get; }

    /// <summary>
    /// The tenant's plan id (platform plans), or null when it has none and nothing is restricted. Read limits
    /// and the plan itself through <c>Studio.Platform.IPlanLimits</c> / <c>IPlanInfo</c>.
    /// </summary>
    public string? Plan { get; }

    /// <summary>True when the feature is enabled on this tenant.</summary>
    public bool IsFeatureEnabled(string featureId) => EnabledFeatures.Contains(featureId);
}
