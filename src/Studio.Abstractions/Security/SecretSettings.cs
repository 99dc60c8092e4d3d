namespace Studio.Security;

/// <summary>
/// The convention for secrets in a tenant's settings JSON. A property whose name ends in <c>Password</c> or
/// <c>Secret</c>, or is <c>ApiKey</c>, given in clear (a recipe, an update) is never stored so: the host's
/// tenant service replaces it, when saving, with <c>{Name}Protected</c> holding the value encrypted by the
/// tenant's <see cref="ISecretProtector"/>. A module binds both properties and decrypts the protected one only when
/// it needs the secret (e.g. <c>Password</c> / <c>PasswordProtected</c>).
/// </summary>
public static class SecretSettings
{
    /// <summary>Suffix of the property holding the encrypted value.</summary>
    public const string ProtectedSuffix = "Protected";

    /// <summary>True for a settings property name that holds a secret in clear.</summary>
    public static bool IsSecretName(string name) =>
        !name.EndsWith(ProtectedSuffix, StringComparison.OrdinalIgnoreCase)
        && (name.EndsWith("Password", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("Secret", StringComparison.OrdinalIgnoreCase)
            || name.Equals("ApiKey", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The secret of a pair of settings: <paramref name="protectedValue"/> decrypted when set, else
    /// <paramref name="plain"/> (platform defaults from the host's configuration are never stored by Studio).
    /// </summary>
    public static string Reveal(ISecretProtector protector, string? plain, string? protectedValue) =>
        string.IsNullOrEmpty(protectedValue) ? plain ?? "" : protector.Unprotect(protectedValue);
}
