using System.Data.Common;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Studio.Data;

namespace Studio.Host.Security.KeyRings;

/// <summary>
/// One tenant's own Data Protection key ring, for the life of one shell: keys stored in the tenant's database,
/// encrypted with the master key, loaded once and cached by Data Protection's key ring provider (so protecting
/// costs no database round trip). Disposed with the shell's container.
/// </summary>
public sealed class TenantKeyRing : IDisposable
{
    private readonly ServiceProvider _services;

    internal TenantKeyRing(ServiceProvider services, string tenantName)
    {
        _services = services;
        // The tenant's name stays in the purpose chain as well: even a key ring copied to another tenant's
        // database would not read this tenant's payloads.
        Root = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Studio.Tenant", tenantName);
    }

    /// <summary>The tenant's root protector; every protector of the tenant derives from it.</summary>
    public IDataProtector Root { get; }

    public void Dispose() => _services.Dispose();
}

/// <summary>Makes tenants' key rings and checks that their stored keys match the configured master key.</summary>
public sealed class TenantKeyRings(MasterKey masterKey, TimeProvider clock, ILoggerFactory loggerFactory)
{
    /// <summary>Application name shared by every key ring (part of Data Protection's purpose chain).</summary>
    public const string ApplicationName = "Studio";

    /// <summary>The master key in use.</summary>
    public MasterKey MasterKey => masterKey;

    /// <summary>A new key ring over the tenant's database (its keys are loaded at first use).</summary>
    /// <param name="tenantName">The tenant.</param>
    /// <param name="database">Its database, where the keys are stored.</param>
    /// <param name="storedKeys">The stored rows if just read (by <see cref="VerifyAsync"/>): spares the first load a query.</param>
    public TenantKeyRing Create(string tenantName, ITenantDatabase database, IReadOnlyList<string>? storedKeys = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(masterKey);
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.Configure<KeyManagementOptions>(options =>
        {
            options.XmlRepository = new TenantXmlRepository(database, clock, storedKeys);
            options.XmlEncryptor = new MasterKeyXmlEncryptor(masterKey);
        });
        return new TenantKeyRing(services.BuildServiceProvider(), tenantName);
    }

    /// <summary>
    /// Refuses a tenant whose stored keys were encrypted with another master key. Data Protection itself would
    /// skip keys it cannot decrypt and silently make new ones — invalidating every cookie and stored secret.
    /// </summary>
    /// <returns>The stored rows (for <see cref="Create"/>); null when there is no key table yet.</returns>
    /// <exception cref="MasterKeyMismatchException">A key of the tenant was encrypted with another master key.</exception>
    public async Task<IReadOnlyList<string>?> VerifyAsync(string tenantName, ITenantDatabase database, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> rows;
        try { rows = await new TenantXmlRepository(database, clock).ReadAllAsync(cancellationToken); }
        catch (DbException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // no key table yet (the platform database before the Default tenant's first activation)
        }
        foreach (var xml in rows)
        {
            foreach (var encrypted in XElement.Parse(xml).Descendants(MasterKeyXmlEncryptor.ElementName))
            {
                var keyId = (string?)encrypted.Attribute(MasterKeyXmlEncryptor.KeyIdAttribute) ?? "";
                if (keyId != masterKey.Id)
                    throw new MasterKeyMismatchException(tenantName, masterKey.MismatchMessage(keyId));
            }
        }
        return rows;
    }
}

/// <summary>A tenant's stored keys (or secrets) were encrypted with another master key than the configured one.</summary>
public sealed class MasterKeyMismatchException(string tenantName, string detail)
    : CryptographicException($"The Data Protection keys of tenant '{tenantName}' cannot be read: {detail}")
{
    /// <summary>The tenant concerned.</summary>
    public string TenantName { get; } = tenantName;
}
