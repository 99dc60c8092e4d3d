namespace Studio.Host.Modules;

/// <summary>
/// What the platform cannot run without, checked against the installed modules and themes before anything else at
/// start-up. Always-enabled features are declared by their own modules, so a build that lost one of those modules
/// would simply not know the feature existed: every tenant would lose sign-in or settings, the operator the tenant
/// administration, and nothing would say why. The host therefore keeps its own list and stops start-up when the
/// catalogue lacks an entry, or lacks the configured default theme.
/// </summary>
public static class PlatformRequirements
{
    /// <summary>
    /// The platform's features and the module that provides each: the always-enabled ones (accounts, owners'
    /// settings and the Default tenant's administration), and the audit trail the first run turns on for the Default
    /// tenant. A new always-enabled feature belongs here too (a test compares the list with the manifests).
    /// </summary>
    public static readonly IReadOnlyList<(string FeatureId, string Module)> Features =
    [
        ("Studio.Identity", "Identity"),
        ("Studio.Settings", "Settings"),
        ("Studio.Tenants", "Tenants"),
        ("Studio.Plans", "Plans"),
        ("Studio.Resellers", "Resellers"),
        ("Studio.Api", "Api"),
        ("Studio.Audit", "Audit"),
    ];

    /// <summary>Stops start-up when a required feature or the default theme is not in the catalogue.</summary>
    /// <exception cref="ModuleCatalogException">Something the platform needs is not installed; the message names it.</exception>
    public static void EnsureInstalled(FeatureCatalog catalog, string defaultTheme)
    {
        var missing = Features.Where(f => catalog.Find(f.FeatureId) is null).ToList();
        if (missing.Count > 0)
            throw new ModuleCatalogException(
                "This build lacks modules the platform requires (missing module): " +
                string.Join("; ", missing.Select(f => $"module '{f.Module}' (feature '{f.FeatureId}')")) +
                ". Add the module's project back (src/Modules/<Name>, referenced by Studio.Host.csproj).");
        if (string.IsNullOrWhiteSpace(defaultTheme) || catalog.FindTheme(defaultTheme) is null)
            throw new ModuleCatalogException(
                $"The default theme '{defaultTheme}' (Studio:DefaultTheme) is not installed (missing theme). " +
                $"Installed themes: {(catalog.Themes.Count == 0 ? "none" : string.Join(", ", catalog.Themes.Select(t => $"'{t.Id}'")))}.");
    }
}
