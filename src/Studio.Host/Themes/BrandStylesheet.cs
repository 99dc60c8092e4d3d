using System.Globalization;
using System.Text;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Host.Themes;

/// <summary>
/// Renders a tenant's brand as a stylesheet of CSS custom properties (<c>--brand-primary</c>, ...) that themes
/// use, plus the tenant's custom CSS. Served at <c>~/brand.css?v={version}</c>, cacheable per tenant version.
/// </summary>
public static class BrandStylesheet
{
    /// <summary>The stylesheet text for a tenant.</summary>
    public static string Render(TenantContext tenant, IContentSanitizer sanitizer)
    {
        var brand = tenant.Brand;
        var css = new StringBuilder(":root {\n");
        if (brand.PrimaryColor is { } primary)
            css.Append(CultureInfo.InvariantCulture, $"  --brand-primary: {primary};\n");
        if (brand.AccentColor is { } accent)
            css.Append(CultureInfo.InvariantCulture, $"  --brand-accent: {accent};\n");
        if (brand.Font is { } font && BrandValidator.Fonts.TryGetValue(font, out var stack))
            css.Append(CultureInfo.InvariantCulture, $"  --brand-font: {stack};\n");
        css.Append("}\n");
        // Re-checked and sanitized at render time too: a record written by an older version (or edited in the
        // database) must not inject CSS.
        if (!string.IsNullOrWhiteSpace(brand.CustomCss) && BrandValidator.Validate(brand with { DisplayName = "" }).Count == 0)
            css.Append("/* tenant custom CSS */\n").Append(sanitizer.SanitizeCss(brand.CustomCss)).Append('\n');
        return css.ToString();
    }

    /// <summary>Maps <c>GET /brand.css</c> for every tenant.</summary>
    public static IEndpointConventionBuilder MapBrandStylesheet(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/brand.css", (HttpContext context) =>
        {
            var tenant = context.RequestServices.GetRequiredService<TenantContext>();
            // Layouts link to ?v={version}: that URL never changes meaning, so it may be cached for good.
            context.Response.Headers.CacheControl = context.Request.Query["v"] == tenant.Version
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            return Results.Text(Render(tenant, context.RequestServices.GetRequiredService<IContentSanitizer>()), "text/css; charset=utf-8");
        });
}
