using Microsoft.Extensions.Localization;
using Studio.Navigation;

namespace Studio.Modules.Hello.Services;

/// <summary>Puts the guest book in the tenant's navigation.</summary>
public sealed class HelloNavigation(IStringLocalizer<HelloNavigation> localizer) : INavigationProvider
{
    public IEnumerable<NavigationItem> GetItems() => [new(localizer["Guest book"], "~/hello", 100)];
}
