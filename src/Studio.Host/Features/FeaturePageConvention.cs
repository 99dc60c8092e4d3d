using System.Reflection;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Studio.Host.Modules;
using Studio.Modules;

namespace Studio.Host.Features;

/// <summary>
/// Tags every Razor Page of a module with the feature it belongs to (its page model's
/// <see cref="ForFeatureAttribute"/>, else the module's first feature). The host's own pages stay untagged.
/// </summary>
public sealed class FeaturePageConvention(FeatureCatalog catalog) : IPageApplicationModelConvention
{
    private readonly Dictionary<Assembly, ModuleDescriptor> _modules = catalog.Modules
        .Where(m => m.Assembly is not null)
        .ToDictionary(m => m.Assembly!);

    public void Apply(PageApplicationModel model)
    {
        if (_modules.TryGetValue(model.PageType.Assembly, out var module))
            model.EndpointMetadata.Add(new FeatureEndpointMetadata(FeatureComponents.FeatureOf(model.HandlerType, module, catalog)));
    }
}
