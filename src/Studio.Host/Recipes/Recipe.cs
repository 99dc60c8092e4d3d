using System.Text.Json;

namespace Studio.Host.Recipes;

/// <summary>
/// A setup recipe (<c>tenants/recipes/*.json</c>): a name and an ordered list of steps. Host steps —
/// <c>features</c>, <c>theme</c>, <c>brand</c>, <c>settings</c> — shape the tenant record; any other step is
/// handled by an <see cref="Studio.Recipes.IRecipeStep"/> of an enabled feature (sample data and the like).
/// </summary>
public sealed record Recipe(string Name, string DisplayName, string Description, IReadOnlyList<JsonElement> Steps)
{
    /// <summary>Names of the steps the host handles itself.</summary>
    public static readonly IReadOnlySet<string> HostSteps = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { "features", "theme", "brand", "settings", "tenant" };

    /// <summary>Parses recipe JSON.</summary>
    /// <exception cref="Studio.Recipes.RecipeException">The JSON is not a recipe.</exception>
    public static Recipe Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new Studio.Recipes.RecipeException($"Recipe '{source}' is not a JSON object.");
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : source;
            var displayName = root.TryGetProperty("displayName", out var d) ? d.GetString() ?? name : name;
            var description = root.TryGetProperty("description", out var de) ? de.GetString() ?? "" : "";
            if (!root.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array)
                throw new Studio.Recipes.RecipeException($"Recipe '{source}' has no \"steps\" array.");
            var list = new List<JsonElement>();
            foreach (var step in steps.EnumerateArray())
            {
                if (step.ValueKind != JsonValueKind.Object || !step.TryGetProperty("name", out var stepName) || stepName.ValueKind != JsonValueKind.String)
                    throw new Studio.Recipes.RecipeException($"Recipe '{source}': step {list.Count + 1} has no \"name\".");
                list.Add(step.Clone());
            }
            return new Recipe(name, displayName, description, list);
        }
        catch (JsonException e)
        {
            throw new Studio.Recipes.RecipeException($"Recipe '{source}' is not valid JSON: {e.Message}", e);
        }
    }
}
