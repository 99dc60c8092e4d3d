using System.Text.Json;
using Studio.Tenancy;

namespace Studio.Recipes;

/// <summary>
/// A named step of a setup recipe contributed by a feature (sample data, module settings). Registered in the
/// feature's startup; runs in the tenant's own container once the recipe's features are enabled.
/// </summary>
public interface IRecipeStep
{
    /// <summary>The step's <c>"name"</c> in recipe JSON, e.g. <c>"greetings"</c>.</summary>
    string Name { get; }

    /// <summary>Applies the step. Throw <see cref="RecipeException"/> with a clear message on bad input.</summary>
    Task ExecuteAsync(JsonElement step, TenantContext tenant, CancellationToken cancellationToken);
}

/// <summary>A recipe that cannot be applied; the message names the step and what is wrong.</summary>
public sealed class RecipeException(string message, Exception? inner = null) : Exception(message, inner);
