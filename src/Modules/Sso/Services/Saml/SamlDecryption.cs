using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using static Studio.Modules.Sso.Services.Saml.SamlXml;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>
/// Decrypts a saml:EncryptedAssertion with the tenant's SP key: the content key wrapped with RSA-OAEP (never
/// RSA PKCS#1 v1.5, a padding oracle), the assertion with AES-GCM or AES-CBC. Returns the plaintext bytes only —
/// the caller parses them with the same safe reader as the response.
/// </summary>
public static class SamlDecryption
{
    public const string RsaOaepMgf1p = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    public const string RsaOaep11 = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    public const string Aes128Cbc = "http://www.w3.org/2001/04/xmlenc#aes128-cbc";
    public const string Aes192Cbc = "http://www.w3.org/2001/04/xmlenc#aes192-cbc";
    public const string Aes256Cbc = "http://www.w3.org/2001/04/xmlenc#aes256-cbc";
    public const string Aes128Gcm = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    public const string Aes192Gcm = "http://www.w3.org/2009/xmlenc11#aes192-gcm";
    public const string Aes256Gcm = "http://www.w3.org/2009/xmlenc11#aes256-gcm";
    private const string Xenc11Ns = "http://www.w3.org/2009/xmlenc11#";
    private const string Mgf1Sha256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256";

    /// <exception cref="SamlValidationException">With <see cref="SamlRejection.EncryptedAssertionUndecryptable"/>.</exception>
    public static byte[] DecryptAssertion(XmlElement encryptedAssertion, IReadOnlyList<X509Certificate2> spCertificates, int maxBytes)
    {
        var data = Children(encryptedAssertion, XencNs, "EncryptedData").ToList();
        if (data.Count != 1)
            throw Fail("EncryptedAssertion must hold exactly one EncryptedData.");
        var dataAlgorithm = Child(data[0], XencNs, "EncryptionMethod") is { } m ? Attr(m, "Algorithm") : null;
        var keySize = dataAlgorithm switch
        {
            Aes128Cbc or Aes128Gcm => 16,
            Aes192Cbc or Aes192Gcm => 24,
            Aes256Cbc or Aes256Gcm => 32,
            _ => throw Fail($"Data encryption '{dataAlgorithm}' is not supported."),
        };
        var cipher = CipherValue(data[0]);

        // The wrapped key: inside the EncryptedData's KeyInfo, or next to it in the EncryptedAssertion.
        var keys = (Child(data[0], DsigNs, "KeyInfo") is { } keyInfo ? Children(keyInfo, XencNs, "EncryptedKey") : [])
            .Concat(Children(encryptedAssertion, XencNs, "EncryptedKey")).ToList();
        if (keys.Count == 0)
            throw Fail("No EncryptedKey.");
        if (spCertificates.Count == 0)
            throw Fail("This SP has no decryption key.");

        byte[]? contentKey = null;
        foreach (var key in keys)
        {
            var padding = KeyPadding(key);
            var wrapped = CipherValue(key);
            foreach (var certificate in spCertificates)
            {
                using var rsa = certificate.GetRSAPrivateKey();
                if (rsa is null)
                    continue;
                try
                {
                    var candidate = rsa.Decrypt(wrapped, padding);
                    if (candidate.Length == keySize)
                    {
                        contentKey = candidate;
                        break;
                    }
                }
                catch (CryptographicException)
                {
                    // Not this certificate's key: try the next one (rollover).
                }
            }
            if (contentKey is not null)
                break;
        }
        if (contentKey is null)
            throw Fail("No SP key unwraps the content key.");

        var plain = dataAlgorithm is Aes128Gcm or Aes192Gcm or Aes256Gcm ? DecryptGcm(contentKey, cipher) : DecryptCbc(contentKey, cipher);
        if (plain.Length > maxBytes)
            throw new SamlValidationException(SamlRejection.TooLarge, "The decrypted assertion is over the size cap.");
        return plain;
    }

    private static RSAEncryptionPadding KeyPadding(XmlElement encryptedKey)
    {
        var method = Child(encryptedKey, XencNs, "EncryptionMethod");
        var algorithm = method is null ? null : Attr(method, "Algorithm");
        var digest = method is not null && Child(method, DsigNs, "DigestMethod") is { } d ? Attr(d, "Algorithm") : null;
        if (method is not null && Child(method, XencNs, "OAEPparams") is not null)
            throw Fail("OAEP parameters are not supported.");
        switch (algorithm)
        {
            case RsaOaepMgf1p when digest is null or Sha1:
                return RSAEncryptionPadding.OaepSHA1;
            case RsaOaep11:
                var mgf = method is not null && Child(method, Xenc11Ns, "MGF") is { } g ? Attr(g, "Algorithm") : null;
                if ((digest is null or Sha1) && mgf is null)
                    return RSAEncryptionPadding.OaepSHA1;
                if (digest == Sha256 && mgf == Mgf1Sha256)
                    return RSAEncryptionPadding.OaepSHA256;
                throw Fail($"RSA-OAEP with digest '{digest}' and MGF '{mgf}' is not supported.");
            default:
                throw Fail($"Key transport '{algorithm}' is not allowed (RSA-OAEP only).");
        }
    }

    private static byte[] CipherValue(XmlElement element)
    {
        var cipherData = Child(element, XencNs, "CipherData") ?? throw Fail("No CipherData.");
        var value = Text(Child(cipherData, XencNs, "CipherValue")) ?? throw Fail("No CipherValue (references are not supported).");
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw Fail("CipherValue is not base64.");
        }
    }

    private static byte[] DecryptGcm(byte[] key, byte[] cipher)
    {
        const int nonceSize = 12, tagSize = 16;
        if (cipher.Length < nonceSize + tagSize)
            throw Fail("The GCM ciphertext is too short.");
        var plain = new byte[cipher.Length - nonceSize - tagSize];
        try
        {
            using var gcm = new AesGcm(key, tagSize);
            gcm.Decrypt(cipher.AsSpan(0, nonceSize), cipher.AsSpan(nonceSize, plain.Length), cipher.AsSpan(cipher.Length - tagSize), plain);
        }
        catch (CryptographicException)
        {
            throw Fail("The GCM ciphertext does not authenticate.");
        }
        return plain;
    }

    private static byte[] DecryptCbc(byte[] key, byte[] cipher)
    {
        const int block = 16;
        if (cipher.Length < 2 * block || cipher.Length % block != 0)
            throw Fail("The CBC ciphertext has a wrong length.");
        using var aes = Aes.Create();
        aes.Key = key;
        var padded = aes.DecryptCbc(cipher.AsSpan(block), cipher.AsSpan(0, block), PaddingMode.None);
        // XML Encryption padding: the last byte is the pad length (1..16); the other pad bytes are arbitrary.
        var pad = padded[^1];
        if (pad is 0 or > block)
            throw Fail("The CBC padding is wrong.");
        return padded[..^pad];
    }

    private static SamlValidationException Fail(string detail) => new(SamlRejection.EncryptedAssertionUndecryptable, detail);
}
