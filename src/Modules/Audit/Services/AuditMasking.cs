using System.Text.Json;
using System.Text.Json.Nodes;

namespace Studio.Modules.Audit.Services;

/// <summary>Serialises before/after values to JSON with every secret-looking property replaced by <c>***</c>.</summary>
public static class AuditMasking
{
    /// <summary>The replacement for a masked value.</summary>
    public const string Mask = "***";

    private static readonly string[] SecretWords = ["password", "secret", "token", "connectionstring"];

    /// <summary>True when a property name looks like it holds a secret (password, secret, token, *key, connection string).</summary>
    public static bool IsSecretKey(string name)
    {
        var normalized = new string(name.Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return SecretWords.Any(normalized.Contains) || normalized.EndsWith("key", StringComparison.Ordinal);
    }

    /// <summary>Serialises <paramref name="value"/> (null stays null) and masks secrets at any depth.</summary>
    public static string? ToMaskedJson(object? value)
    {
        if (value is null)
            return null;
        var node = value as JsonNode ?? JsonSerializer.SerializeToNode(value, value.GetType());
        return node is null ? null : MaskNode(node).ToJsonString();
    }

    private static JsonNode MaskNode(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretKey(name))
                        obj[name] = Mask;
                    else if (obj[name] is { } child)
                        MaskNode(child);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    if (item is not null)
                        MaskNode(item);
                break;
        }
        return node;
    }
}
