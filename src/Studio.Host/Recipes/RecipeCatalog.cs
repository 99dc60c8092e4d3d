using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Recipes;

namespace Studio.Host.Recipes;

/// <summary>The setup recipes shipped in <c>tenants/recipes</c> (copied next to the host's binaries).</summary>
public sealed class RecipeCatalog(IOptions<StudioOptions> options, IStringLocalizer<RecipeCatalog> localizer)
{
    private string Folder => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, options.Value.RecipesPath));

    /// <summary>Names of the available recipes.</summary>
    public IReadOnlyList<string> Names() => Directory.Exists(Folder)
        ? Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order().ToList()
        : [];

    /// <summary>Loads a recipe by name.</summary>
    /// <exception cref="RecipeException">It does not exist or is malformed.</exception>
    public Recipe Load(string name)
    {
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            throw new RecipeException(localizer["'{0}' is not a recipe name.", name]);
        var path = Path.Combine(Folder, name + ".json");
        if (!File.Exists(path))
            throw new RecipeException(localizer["There is no recipe '{0}'. Available: {1}.", name, string.Join(", ", Names())]);
        return Recipe.Parse(File.ReadAllText(path), name);
    }
}
