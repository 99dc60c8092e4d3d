using Studio.Modules;

// Always enabled: it serves the brand media (logo, favicon) the theme layouts link to — disabling it would break
// every page of a tenant that uploaded a logo — and it is the owner's only way to fix a brand or a time zone.
// Nothing in it is a paid option; what a plan restricts (themes, features) is enforced inside it.
[assembly: Module("Settings")]
[assembly: Feature(Studio.Modules.Settings.SettingsFeature.Id, "Studio settings",
    Description = "The studio owner's settings: name, brand (logo, colours, font, favicon, custom CSS), theme, language and time zone, and the features the plan allows.",
    Category = "Studio",
    AlwaysEnabled = true,
    Dependencies = ["Studio.Identity"])]

namespace Studio.Modules.Settings;

/// <summary>The feature id of the settings module.</summary>
public static class SettingsFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Settings";
}
