using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Security;

namespace Studio.Host.Tenancy;

/// <summary>
/// Applies <see cref="SecretSettings"/> to a settings JSON document: finds secrets in clear, removes them, or
/// replaces them with their encrypted form.
/// </summary>
internal static class SettingsSecretsProtection
{
    /// <summary>True when the document holds a non-empty secret in clear.</summary>
    public static bool HasPlaintext(string json) => Parse(json) is { } root && Secrets(root).Any();

    /// <summary>The document with every secret in clear replaced by <c>{Name}Protected</c> = <paramref name="protect"/>(value).</summary>
    public static string Protect(string json, Func<string, string> protect) => Rewrite(json, (parent, name, value) =>
    {
        parent.Remove(name);
        parent[name + SecretSettings.ProtectedSuffix] = protect(value);
    });

    /// <summary>The document without its secrets in clear (what is saved before the tenant's keys exist).</summary>
    public static string Strip(string json) => Rewrite(json, (parent, name, _) => parent.Remove(name));

    private static string Rewrite(string json, Action<JsonObject, string, string> replace)
    {
        if (Parse(json) is not { } root)
            return json;
        foreach (var (parent, name, value) in Secrets(root).ToList())
            replace(parent, name, value);
        return root.ToJsonString();
    }

    private static JsonNode? Parse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return null; }
    }

    private static IEnumerable<(JsonObject Parent, string Name, string Value)> Secrets(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String
                        && SecretSettings.IsSecretName(name) && value.GetValue<string>() is { Length: > 0 } secret)
                        yield return (obj, name, secret);
                    else if (child is not null)
                        foreach (var found in Secrets(child))
                            yield return found;
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    if (item is not null)
                        foreach (var found in Secrets(item))
                            yield return found;
                break;
        }
    }
}
