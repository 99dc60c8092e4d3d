using Microsoft.AspNetCore.Mvc.Razor;
using Studio.Host.Modules;
using Studio.Host.Tenancy;

namespace Studio.Host.Themes;

/// <summary>
/// Looks for layouts, partials and views in the tenant's theme (<c>/Views/{Theme}/</c>), then in its base
/// themes, then where Razor would look anyway. The theme is part of the view cache key, so tenants with
/// different themes never share a lookup result.
/// </summary>
public sealed class ThemeViewLocationExpander : IViewLocationExpander
{
    private const string Key = "theme";

    public void PopulateValues(ViewLocationExpanderContext context) =>
        context.Values[Key] = context.ActionContext.HttpContext.GetTenant()?.Theme;

    public IEnumerable<string> ExpandViewLocations(ViewLocationExpanderContext context, IEnumerable<string> viewLocations)
    {
        if (!context.Values.TryGetValue(Key, out var theme) || theme is null)
            return viewLocations;
        var catalog = context.ActionContext.HttpContext.RequestServices.GetRequiredService<FeatureCatalog>();
        return catalog.ThemeChain(theme).Select(t => $"/Views/{t}/{{0}}.cshtml").Concat(viewLocations);
    }
}
