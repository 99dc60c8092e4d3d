using System.Text.Json;
using System.Text.Json.Nodes;
using Studio.Audit;

namespace Studio.Platform;

/// <summary>
/// A tenant's single sign-on configuration as JSON, for the management API (tenant container; implemented by the SSO
/// module where "Studio.Sso" is on). Providers are the SSO module's own shape; an OIDC client secret is write-only
/// (<c>clientSecret</c> in a body; answers only say <c>hasClientSecret</c>). Bad input throws
/// <see cref="PlatformValidationException"/>; every write is validated, version-checked and audited by the module.
/// </summary>
public interface ITenantSsoConfiguration
{
    Task<JsonNode> ListProvidersAsync(CancellationToken cancellationToken = default);

    /// <summary>Null when there is no such provider.</summary>
    Task<JsonNode?> GetProviderAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Creates (body <c>version</c> 0 or absent) or replaces (<c>version</c> = the stored one) the provider <paramref name="id"/>.</summary>
    Task<JsonNode> PutProviderAsync(string id, JsonElement body, AuditActor actor, CancellationToken cancellationToken = default);

    /// <summary>False when there was no such provider.</summary>
    Task<bool> DeleteProviderAsync(string id, AuditActor actor, CancellationToken cancellationToken = default);

    Task<JsonNode> GetSettingsAsync(CancellationToken cancellationToken = default);

    Task<JsonNode> PutSettingsAsync(JsonElement body, AuditActor actor, CancellationToken cancellationToken = default);
}

/// <summary>
/// Runs work against a named tenant's <see cref="ITenantSsoConfiguration"/> in a scope of that tenant's own container
/// (host; access as <see cref="ITenantAdministration.GetAsync(PlatformActor,string,CancellationToken)"/>: a reseller
/// reaches only its tenants). A tenant without SSO (or not visible) throws <see cref="PlatformForbiddenException"/>.
/// </summary>
public interface ITenantSsoAdministration
{
    Task<T> RunAsync<T>(PlatformActor actor, string tenant, Func<ITenantSsoConfiguration, Task<T>> work, CancellationToken cancellationToken = default);
}
