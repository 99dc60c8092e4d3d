namespace Studio.Platform;

/// <summary>Paths of the platform's admin pages (Default tenant), so modules link to each other without knowing the pages.</summary>
public static class PlatformPaths
{
    /// <summary>The operator's tenant list (Tenants module).</summary>
    public const string Tenants = "/admin/tenants";

    /// <summary>The operator's plan list (Plans module).</summary>
    public const string Plans = "/admin/plans";

    /// <summary>A tenant's feature page (Plans module: features within the tenant's plan).</summary>
    public static string TenantFeatures(string tenant) => $"/admin/tenants/{Uri.EscapeDataString(tenant)}/features";
}
