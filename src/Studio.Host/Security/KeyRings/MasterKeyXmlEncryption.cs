using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Studio.Host.Security.KeyRings;

/// <summary>
/// Encrypts a Data Protection key's secret XML with the platform <see cref="MasterKey"/> before it is stored, so
/// a copy of a tenant's database (backup, dump) holds no usable key material.
/// </summary>
public sealed class MasterKeyXmlEncryptor(MasterKey masterKey) : IXmlEncryptor
{
    /// <summary>Purpose under which key XML is encrypted with the master key.</summary>
    internal const string Purpose = "Studio.DataProtection.KeyRing.v1";

    /// <summary>Element name of an encrypted key.</summary>
    internal const string ElementName = "studioEncryptedKey";

    /// <summary>Attribute naming the master key (its fingerprint) that encrypted it.</summary>
    internal const string KeyIdAttribute = "masterKeyId";

    /// <inheritdoc />
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement(ElementName,
            new XAttribute(KeyIdAttribute, masterKey.Id),
            new XComment(" Encrypted with the Studio master key (Studio:DataProtection:MasterKey or App_Data/keys/master.key). "),
            new XElement("value", Convert.ToBase64String(masterKey.Encrypt(Purpose, plaintext))));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>
/// Decrypts what <see cref="MasterKeyXmlEncryptor"/> stored. Created by Data Protection's activator from the XML's
/// <c>decryptorType</c>, with the key ring's own services (which hold the <see cref="MasterKey"/>).
/// </summary>
public sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    private readonly MasterKey _masterKey = services.GetService(typeof(MasterKey)) as MasterKey
        ?? throw new InvalidOperationException("The Studio master key is not available to Data Protection.");

    /// <inheritdoc />
    public XElement Decrypt(XElement encryptedElement)
    {
        var keyId = (string?)encryptedElement.Attribute(MasterKeyXmlEncryptor.KeyIdAttribute) ?? "";
        if (keyId != _masterKey.Id)
            throw new CryptographicException(_masterKey.MismatchMessage(keyId));
        var value = (string?)encryptedElement.Element("value") ?? throw new CryptographicException("The encrypted key has no value.");
        var plaintext = _masterKey.Decrypt(MasterKeyXmlEncryptor.Purpose, Convert.FromBase64String(value));
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
