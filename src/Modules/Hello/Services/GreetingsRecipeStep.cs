using System.Text.Json;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Modules.Hello.Services;

/// <summary>Recipe step <c>greetings</c>: sample greetings, <c>{"name":"greetings","items":[{"author":..,"message":..}]}</c>.</summary>
public sealed class GreetingsRecipeStep(GreetingStore store) : IRecipeStep
{
    public string Name => "greetings";

    public async Task ExecuteAsync(JsonElement step, TenantContext tenant, CancellationToken cancellationToken)
    {
        if (!step.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            throw new RecipeException("Step 'greetings' needs an \"items\" array.");
        foreach (var item in items.EnumerateArray())
        {
            var author = item.TryGetProperty("author", out var a) ? a.GetString() : null;
            var message = item.TryGetProperty("message", out var m) ? m.GetString() : null;
            try { await store.AddAsync(author ?? "", message ?? "", cancellationToken); }
            catch (ArgumentException e) { throw new RecipeException($"Step 'greetings': {e.Message}", e); }
        }
    }
}
