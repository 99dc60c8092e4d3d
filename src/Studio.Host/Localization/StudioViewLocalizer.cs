using Microsoft.AspNetCore.Mvc.Localization;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Localization;

namespace Studio.Host.Localization;

/// <summary>
/// The <c>T</c> of every view: one instance per tenant container, wrapping that tenant's localizer.
/// </summary>
/// <remarks>
/// ASP.NET Core's <c>ViewLocalizer</c> turns each view's path into a resource name and asks the factory for a new
/// localizer, for every view of every request. Here keys are English text shared by the whole platform and the
/// factory hands out one localizer whatever the name (<see cref="StudioStringLocalizerFactory"/>), so that work only
/// allocated: it was about a twentieth of what a themed page allocates (bench/README.md, throughput).
/// </remarks>
public sealed class StudioViewLocalizer(IHtmlLocalizerFactory factory) : IViewLocalizer, IViewContextAware
{
    private readonly IHtmlLocalizer _localizer = factory.Create(typeof(StudioViewLocalizer));

    /// <summary>Nothing to do: the view's path does not choose the texts.</summary>
    public void Contextualize(ViewContext viewContext)
    {
    }

    public LocalizedHtmlString this[string name] => _localizer[name];

    public LocalizedHtmlString this[string name, params object[] arguments] => _localizer[name, arguments];

    public LocalizedString GetString(string name) => _localizer.GetString(name);

    public LocalizedString GetString(string name, params object[] arguments) => _localizer.GetString(name, arguments);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => _localizer.GetAllStrings(includeParentCultures);
}
