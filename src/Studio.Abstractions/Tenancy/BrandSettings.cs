namespace Studio.Tenancy;

/// <summary>
/// A tenant's brand, applied over its theme as CSS custom properties. Every value is validated before it is
/// stored (see the host's brand validator), so a view may render them without further escaping of CSS.
/// </summary>
public sealed record BrandSettings
{
    /// <summary>Name shown in the header and title; empty means the tenant's display name.</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>Logo URL (site-relative or https).</summary>
    public string? LogoUrl { get; init; }

    /// <summary>Favicon URL (site-relative or https).</summary>
    public string? FaviconUrl { get; init; }

    /// <summary>Primary colour as <c>#rrggbb</c>; null keeps the theme's.</summary>
    public string? PrimaryColor { get; init; }

    /// <summary>Accent colour as <c>#rrggbb</c>; null keeps the theme's.</summary>
    public string? AccentColor { get; init; }

    /// <summary>Font family from the allowed list; null keeps the theme's.</summary>
    public string? Font { get; init; }

    /// <summary>Extra CSS appended after the theme's (validated, never HTML).</summary>
    public string? CustomCss { get; init; }
}
