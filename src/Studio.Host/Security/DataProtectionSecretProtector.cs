using Microsoft.AspNetCore.DataProtection;
using Studio.Security;

namespace Studio.Host.Security;

/// <summary>
/// <see cref="ISecretProtector"/> over the tenant container's Data Protection provider (already bound to the
/// tenant), under one purpose for stored secrets, distinct from cookies' and antiforgery's.
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Studio.Secrets.v1");

    /// <inheritdoc />
    public string Protect(string plaintext) => _protector.Protect(plaintext);

    /// <inheritdoc />
    public string Unprotect(string protectedValue) => _protector.Unprotect(protectedValue);
}
