using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Studio.Host.Security;

/// <summary>
/// The platform's master key (256 bits): it encrypts every tenant's Data Protection key ring at rest and the
/// secrets of the platform store (tenants' own connection strings). Taken from <c>Studio:DataProtection:MasterKey</c>
/// (base64) — what a multi-instance deployment sets, the same on every instance — or else generated once into
/// <c>{DataPath}/keys/master.key</c>, readable by the owner only. Its value is never logged; only its
/// <see cref="Id"/> (a fingerprint) appears in messages.
/// </summary>
public sealed class MasterKey
{
    /// <summary>The configuration key of the master key.</summary>
    public const string Setting = "Studio:DataProtection:MasterKey";

    /// <summary>Prefix of a value encrypted by <see cref="ProtectString"/>.</summary>
    public const string ProtectedPrefix = "enc:v1:";

    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;
    private readonly ConcurrentDictionary<string, byte[]> _derived = new(StringComparer.Ordinal);

    private MasterKey(byte[] key, string source)
    {
        _key = key;
        Source = source;
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(key, "Studio.MasterKey.Id"u8))[..16];
    }

    /// <summary>A fingerprint of the key (not the key): tells which key encrypted a value.</summary>
    public string Id { get; }

    /// <summary>Where the key came from (the setting or the file path), for messages.</summary>
    public string Source { get; }

    /// <summary>A key from its base64 text (tests, tools).</summary>
    public static MasterKey FromBase64(string base64, string source = Setting)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new InvalidOperationException($"{Setting} is not valid base64: it must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)."); }
        if (key.Length != KeySize)
            throw new InvalidOperationException($"{Setting} must be 32 bytes (256 bits) in base64; it is {key.Length} bytes. Generate one with `openssl rand -base64 32`.");
        return new MasterKey(key, source);
    }

    /// <summary>The configured key, or the one in the data folder (generated there on first use).</summary>
    public static MasterKey Load(string? configured, string dataPath, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return FromBase64(configured);

        var folder = Path.Combine(dataPath, "keys");
        var file = Path.Combine(folder, "master.key");
        if (!File.Exists(file))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(folder);
            else
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // Written under a temporary name and moved into place: two instances starting together on one data
            // folder both end up with the key that won the move, never a half-written one.
            var temporary = Path.Combine(folder, $".master.key.{Guid.NewGuid():N}");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(new FileStream(temporary, options), Encoding.ASCII))
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize)));
            try
            {
                File.Move(temporary, file, overwrite: false);
                logger.LogInformation("Generated the platform master key in {Path}; a deployment of several instances sets {Setting} instead", file, Setting);
            }
            catch (IOException) when (File.Exists(file))
            {
                File.Delete(temporary);
            }
        }
        try { return FromBase64(File.ReadAllText(file), file); }
        catch (InvalidOperationException e) { throw new InvalidOperationException($"The master key file {file} is damaged: {e.Message}", e); }
    }

    /// <summary>Encrypts with a key derived for <paramref name="purpose"/> (AES-256-GCM): nonce, tag, ciphertext.</summary>
    public byte[] Encrypt(string purpose, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Derive(purpose), TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return output;
    }

    /// <summary>Decrypts what <see cref="Encrypt"/> made for the same purpose.</summary>
    /// <exception cref="CryptographicException">Another key (or purpose) made it, or it was altered.</exception>
    public byte[] Decrypt(string purpose, ReadOnlySpan<byte> data)
    {
        if (data.Length < NonceSize + TagSize)
            throw new CryptographicException("The encrypted value is truncated.");
        var plaintext = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(Derive(purpose), TagSize);
        aes.Decrypt(data[..NonceSize], data[(NonceSize + TagSize)..], data.Slice(NonceSize, TagSize), plaintext);
        return plaintext;
    }

    /// <summary>Encrypts a platform secret for storage as text (<c>enc:v1:{keyId}:{base64}</c>).</summary>
    public string ProtectString(string purpose, string plaintext) =>
        $"{ProtectedPrefix}{Id}:{Convert.ToBase64String(Encrypt(purpose, Encoding.UTF8.GetBytes(plaintext)))}";

    /// <summary>Decrypts a value made by <see cref="ProtectString"/>.</summary>
    /// <exception cref="CryptographicException">It was made with another master key, or altered; the message says which key.</exception>
    public string UnprotectString(string purpose, string value)
    {
        if (!IsProtected(value))
            throw new CryptographicException("The value is not encrypted.");
        var rest = value[ProtectedPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var keyId = colon < 0 ? "" : rest[..colon];
        if (keyId != Id)
            throw new CryptographicException(MismatchMessage(keyId));
        try { return Encoding.UTF8.GetString(Decrypt(purpose, Convert.FromBase64String(rest[(colon + 1)..]))); }
        catch (FormatException) { throw new CryptographicException("The encrypted value is damaged."); }
    }

    /// <summary>True for a value made by <see cref="ProtectString"/>.</summary>
    public static bool IsProtected(string? value) => value?.StartsWith(ProtectedPrefix, StringComparison.Ordinal) == true;

    /// <summary>The explanation when stored data was encrypted with another master key.</summary>
    public string MismatchMessage(string storedKeyId) =>
        $"Stored keys were encrypted with master key {storedKeyId}, but the configured master key is {Id} (from {Source}). " +
        $"Set {Setting} (or restore {Path.Combine("App_Data", "keys", "master.key")}) to the key they were made with; " +
        "new keys are not created, since that would invalidate every cookie, token and stored secret.";

    private byte[] Derive(string purpose) => _derived.GetOrAdd(purpose, p =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeySize, salt: null, info: Encoding.UTF8.GetBytes(p)));
}
