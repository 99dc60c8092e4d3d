namespace Studio.Navigation;

/// <summary>
/// The tenant's main navigation for the current request: the links of every <see cref="INavigationProvider"/> of the
/// enabled features, in order. Worked out once per request (the layout and the home page both show it).
/// </summary>
public sealed class NavigationMenu(IEnumerable<INavigationProvider> providers)
{
    private IReadOnlyList<NavigationItem>? _items;

    /// <summary>The links, lowest <see cref="NavigationItem.Order"/> first.</summary>
    public IReadOnlyList<NavigationItem> Items => _items ??= providers.SelectMany(p => p.GetItems()).OrderBy(i => i.Order).ToList();
}
