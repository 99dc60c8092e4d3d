namespace Studio.Identity;

/// <summary>A reseller account as the operator's reseller page lists it.</summary>
public sealed record ResellerAccount(string UserId, string Email, string DisplayName, string ResellerId, bool Invited);

/// <summary>
/// Reseller accounts of the Default tenant (Identity feature, Default tenant's container only): users with the
/// <see cref="StudioRoles.Reseller"/> role linked to a reseller id. Operators only — the caller checks that, and that
/// the reseller exists. Every creation is audited in the Default tenant's trail.
/// </summary>
public interface IResellerAccounts
{
    /// <summary>The accounts of <paramref name="resellerId"/>.</summary>
    Task<IReadOnlyList<ResellerAccount>> ListAsync(string resellerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a reseller account: with <paramref name="password"/> it can sign in at once (address confirmed);
    /// without, an invitation is e-mailed. Returns null on success, else a user-facing message (nothing created).
    /// </summary>
    Task<string?> CreateAsync(string email, string displayName, string resellerId, string? password, CancellationToken cancellationToken = default);
}
