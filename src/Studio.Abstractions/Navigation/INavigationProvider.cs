namespace Studio.Navigation;

/// <summary>
/// Adds links to the tenant's main navigation. Register implementations in a feature's startup; the theme's
/// layout shows the links of the features enabled on the tenant, so enabling a feature makes its pages appear.
/// Register them as singletons (they are asked on every page; read the request through <c>IHttpContextAccessor</c>),
/// and show them through <see cref="NavigationMenu"/>.
/// </summary>
public interface INavigationProvider
{
    /// <summary>The links, with text already localized for the current request.</summary>
    IEnumerable<NavigationItem> GetItems();
}

/// <summary>One navigation link.</summary>
/// <param name="Text">Localized link text.</param>
/// <param name="Url">App-relative URL, e.g. <c>~/hello</c>.</param>
/// <param name="Order">Lower comes first.</param>
public sealed record NavigationItem(string Text, string Url, int Order = 0);
