using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Studio.Modules.Audit.Services;

/// <summary>
/// SHA-256 over a canonical serialisation: a JSON array of the fields in a fixed order ending with the previous
/// hash. JSON quoting makes the encoding unambiguous (no field can bleed into the next).
/// </summary>
public static class AuditHasher
{
    /// <summary>Computes the hash an entry must carry.</summary>
    public static string Compute(string tenant, long createdMs, string actorId, string actorName, string action,
        string? target, string? ip, string? userAgent, string? beforeJson, string? afterJson, string prevHash)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(1); // format version of this serialisation
            writer.WriteStringValue(tenant);
            writer.WriteNumberValue(createdMs);
            writer.WriteStringValue(actorId);
            writer.WriteStringValue(actorName);
            writer.WriteStringValue(action);
            WriteNullable(writer, target);
            WriteNullable(writer, ip);
            WriteNullable(writer, userAgent);
            WriteNullable(writer, beforeJson);
            WriteNullable(writer, afterJson);
            writer.WriteStringValue(prevHash);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Recomputes the hash of a stored entry from its content.</summary>
    public static string Compute(AuditEntry e) => Compute(e.Tenant, e.CreatedMs, e.ActorId, e.ActorName, e.Action,
        e.Target, e.Ip, e.UserAgent, e.BeforeJson, e.AfterJson, e.PrevHash);

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
    }
}
