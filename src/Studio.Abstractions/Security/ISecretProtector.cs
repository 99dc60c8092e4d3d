namespace Studio.Security;

/// <summary>
/// Encrypts secrets before they are stored (provider credentials, TOTP keys, connection strings) with the current
/// tenant's Data Protection keys under one purpose, so a value stored for one tenant cannot be read by another.
/// Resolve it from a tenant container.
/// </summary>
public interface ISecretProtector
{
    /// <summary>Encrypts <paramref name="plaintext"/> for storage.</summary>
    string Protect(string plaintext);

    /// <summary>Decrypts a value made by <see cref="Protect"/>; throws <see cref="System.Security.Cryptography.CryptographicException"/> when it was not.</summary>
    string Unprotect(string protectedValue);
}
