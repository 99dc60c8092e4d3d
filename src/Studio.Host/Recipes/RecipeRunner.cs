using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Host.Tenancy;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Host.Recipes;

/// <summary>
/// Applies a recipe in two parts: host steps shape the tenant record before it is activated; feature steps
/// (sample data, ...) then run inside the tenant's own container, where only its enabled features' steps exist.
/// </summary>
public sealed class RecipeRunner
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Applies the host steps to a record.</summary>
    /// <exception cref="RecipeException">A step is malformed.</exception>
    public TenantRecord ApplyHostSteps(TenantRecord tenant, Recipe recipe)
    {
        foreach (var step in recipe.Steps)
        {
            var name = step.GetProperty("name").GetString()!;
            try
            {
                tenant = name.ToLowerInvariant() switch
                {
                    "features" => tenant with { Features = tenant.Features.Concat(Strings(step, "enable")).Distinct().ToList() },
                    "theme" => tenant with { Theme = String(step, "theme") ?? tenant.Theme },
                    "brand" => tenant with { Brand = step.Deserialize<BrandSettings>(Json) ?? tenant.Brand },
                    "settings" => tenant with { SettingsJson = Merge(tenant.SettingsJson, step.TryGetProperty("settings", out var s) ? s : default) },
                    "tenant" => tenant with
                    {
                        DisplayName = String(step, "displayName") ?? tenant.DisplayName,
                        Culture = String(step, "culture") ?? tenant.Culture,
                        TimeZone = String(step, "timeZone") ?? tenant.TimeZone,
                    },
                    _ => tenant,
                };
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                throw new RecipeException($"Recipe '{recipe.Name}', step '{name}': {e.Message}", e);
            }
        }
        return tenant;
    }

    /// <summary>Runs the feature steps in the tenant's container.</summary>
    /// <exception cref="RecipeException">A step is unknown on this tenant or fails.</exception>
    public async Task RunFeatureStepsAsync(TenantShell shell, Recipe recipe, CancellationToken cancellationToken)
    {
        var featureSteps = recipe.Steps.Where(s => !Recipe.HostSteps.Contains(s.GetProperty("name").GetString()!)).ToList();
        if (featureSteps.Count == 0)
            return;
        await using var scope = shell.Services.CreateAsyncScope();
        var handlers = scope.ServiceProvider.GetServices<IRecipeStep>().ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var step in featureSteps)
        {
            var name = step.GetProperty("name").GetString()!;
            if (!handlers.TryGetValue(name, out var handler))
                throw new RecipeException($"Recipe '{recipe.Name}': no enabled feature handles the step '{name}'.");
            await handler.ExecuteAsync(step, shell.Context, cancellationToken);
        }
    }

    private static string? String(JsonElement step, string property) =>
        step.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement step, string property) =>
        step.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString() ?? throw new InvalidOperationException($"\"{property}\" must list strings."))
            : throw new InvalidOperationException($"\"{property}\" must be an array of feature ids.");

    private static string Merge(string existingJson, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
            throw new InvalidOperationException("\"settings\" must be an object.");
        var target = JsonNode.Parse(existingJson) as JsonObject ?? new JsonObject();
        foreach (var property in patch.EnumerateObject())
            target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        return target.ToJsonString();
    }
}
