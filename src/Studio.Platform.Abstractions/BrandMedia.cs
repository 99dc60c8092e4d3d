using Studio.Media;

namespace Studio.Platform;

// Brand media (logo, favicon) contracts: every upload path checks files with Studio.Media.MediaInspector — the
// owner's settings page (Settings module), the operator's tenant page (Tenants module) — and stores them in the
// tenant's own database through these.

/// <summary>
/// The current tenant's stored brand files (tenant container; implemented by the always-enabled Settings module,
/// served at <c>/media/brand/{kind}-{sha256}.{ext}</c>).
/// </summary>
public interface IBrandMediaStore
{
    /// <summary>Stores an image <see cref="MediaInspector.Inspect"/> accepted (idempotent) and returns its tenant-relative URL.</summary>
    Task<string> SaveAsync(MediaKind kind, SniffedImage image, byte[] bytes, CancellationToken cancellationToken);

    /// <summary>Deletes the files of a kind other than the one the brand uses now.</summary>
    Task PruneAsync(MediaKind kind, string? urlInUse, CancellationToken cancellationToken);
}

/// <summary>
/// Brand files of a named tenant, for the platform's administration (operator, reseller): checked exactly like the
/// owner's upload and stored in that tenant's own database through its <see cref="IBrandMediaStore"/>. The caller
/// then puts the URL in the tenant's brand with <see cref="ITenantAdministration.UpdateAsync"/>.
/// </summary>
public interface ITenantBrandMedia
{
    /// <summary>Checks and stores an image for <paramref name="tenant"/>; returns its tenant-relative URL.</summary>
    /// <exception cref="PlatformValidationException">The image is refused (the message says why) or the tenant cannot store it.</exception>
    /// <exception cref="PlatformForbiddenException">A reseller's actor and another reseller's (or the platform's) tenant.</exception>
    Task<string> StoreAsync(PlatformActor actor, string tenant, MediaKind kind, byte[] bytes, CancellationToken cancellationToken = default);

    /// <summary>Deletes the tenant's brand files its brand no longer uses (after a save).</summary>
    Task PruneAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default);
}
