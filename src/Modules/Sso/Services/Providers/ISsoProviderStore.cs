using Studio.Audit;
using Studio.Modules.Sso.Data;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>The tenant's identity providers and SSO settings (tenant container). Writes validate (localized
/// <see cref="SsoValidationException"/>), are version-checked and audited; secrets are stored encrypted.</summary>
public interface ISsoProviderStore
{
    Task<IReadOnlyList<SsoProvider>> ListAsync(CancellationToken cancellationToken = default);
    Task<SsoProvider?> GetAsync(string id, CancellationToken cancellationToken = default);
    /// <summary>Creates or updates (Version must match the stored one). A clear-text OIDC secret is given in
    /// <paramref name="newClientSecret"/> (null: keep the stored one).</summary>
    Task<SsoProvider> SaveAsync(SsoProvider provider, string? newClientSecret, AuditActor actor, CancellationToken cancellationToken = default);
    Task DeleteAsync(string id, AuditActor actor, CancellationToken cancellationToken = default);
    Task<SsoSettings> GetSettingsAsync(CancellationToken cancellationToken = default);
    Task SaveSettingsAsync(SsoSettings settings, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>The decrypted OIDC client secret (only for the OIDC handler).</summary>
    Task<string?> ClientSecretAsync(string providerId, CancellationToken cancellationToken = default);
}

/// <summary>Bad SSO configuration input; the message is localized and safe to show.</summary>
public sealed class SsoValidationException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}
