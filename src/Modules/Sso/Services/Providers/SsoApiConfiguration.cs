using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Audit;
using Studio.Modules.Sso.Data;
using Studio.Platform;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>
/// The tenant's SSO configuration as JSON for the management API (<c>/api/v1/tenants/{name}/sso/…</c>), over
/// <see cref="ISsoProviderStore"/>: the same validation, versions and audit as the admin pages. The client secret
/// is write-only (<c>clientSecret</c> in a body, <c>""</c> removes it); answers carry <c>hasClientSecret</c> only.
/// </summary>
public sealed class SsoApiConfiguration(ISsoProviderStore store) : ITenantSsoConfiguration
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<JsonNode> ListProvidersAsync(CancellationToken cancellationToken = default) =>
        new JsonArray((await store.ListAsync(cancellationToken)).Select(p => (JsonNode?)View(p)).ToArray());

    public async Task<JsonNode?> GetProviderAsync(string id, CancellationToken cancellationToken = default) =>
        await store.GetAsync(id, cancellationToken) is { } p ? View(p) : null;

    public async Task<JsonNode> PutProviderAsync(string id, JsonElement body, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw new PlatformValidationException(["The body is a provider object."]);
        SsoProvider? provider;
        try
        {
            provider = body.Deserialize<SsoProvider>(Json);
        }
        catch (JsonException)
        {
            throw new PlatformValidationException(["The body is not a valid provider."]);
        }
        if (provider is null)
            throw new PlatformValidationException(["The body is a provider object."]);
        string? secret = null;
        if (body.TryGetProperty("clientSecret", out var s))
            secret = s.ValueKind switch
            {
                JsonValueKind.String => s.GetString(),
                JsonValueKind.Null => null,
                _ => throw new PlatformValidationException(["clientSecret is a string."]),
            };
        try
        {
            return View(await store.SaveAsync(provider with { Id = id, EmailDomains = provider.EmailDomains ?? [], GroupRoles = provider.GroupRoles ?? new Dictionary<string, string>() },
                secret, actor, cancellationToken));
        }
        catch (SsoValidationException e)
        {
            throw new PlatformValidationException([e.Message]);
        }
    }

    public async Task<bool> DeleteProviderAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (await store.GetAsync(id, cancellationToken) is null)
            return false;
        try
        {
            await store.DeleteAsync(id, actor, cancellationToken);
        }
        catch (SsoValidationException e)
        {
            throw new PlatformValidationException([e.Message]);
        }
        return true;
    }

    public async Task<JsonNode> GetSettingsAsync(CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeToNode(await store.GetSettingsAsync(cancellationToken), Json)!;

    public async Task<JsonNode> PutSettingsAsync(JsonElement body, AuditActor actor, CancellationToken cancellationToken = default)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("ssoOnlyStaff", out var only) || only.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new PlatformValidationException(["Give ssoOnlyStaff: true or false."]);
        try
        {
            await store.SaveSettingsAsync(new SsoSettings(only.GetBoolean()), actor, cancellationToken);
        }
        catch (SsoValidationException e)
        {
            throw new PlatformValidationException([e.Message]);
        }
        return await GetSettingsAsync(cancellationToken);
    }

    /// <summary>A provider as JSON without its encrypted secret.</summary>
    private static JsonNode View(SsoProvider p)
    {
        var node = JsonSerializer.SerializeToNode(p with { Oidc = p.Oidc is { } o ? o with { ClientSecretProtected = null } : null }, Json)!.AsObject();
        if (node["oidc"] is JsonObject oidc)
        {
            oidc.Remove("clientSecretProtected");
            oidc["hasClientSecret"] = p.Oidc!.ClientSecretProtected is not null;
        }
        return node;
    }
}
