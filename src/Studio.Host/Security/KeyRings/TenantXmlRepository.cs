using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Studio.Data;

namespace Studio.Host.Security.KeyRings;

/// <summary>
/// Stores a tenant's Data Protection keys (already encrypted by <see cref="MasterKeyXmlEncryptor"/>) in the
/// <c>dataprotection_keys</c> table of the tenant's own database.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous: it is called when the key ring is first loaded and when a key is
/// created or the ring refreshed (at most daily) — never per request, as the ring is cached per shell.
/// </remarks>
/// <param name="database">The tenant's database.</param>
/// <param name="clock">Clock for the rows' creation time.</param>
/// <param name="preloaded">Rows already read at activation (to check the master key): the first load uses them
/// instead of a second query; later loads (refresh, after a new key) read the table.</param>
public sealed class TenantXmlRepository(ITenantDatabase database, TimeProvider clock, IReadOnlyList<string>? preloaded = null) : IXmlRepository
{
    /// <summary>Name of the table in every tenant database.</summary>
    public const string Table = "dataprotection_keys";

    private IReadOnlyList<string>? _preloaded = preloaded;

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var rows = Interlocked.Exchange(ref _preloaded, null) ?? ReadAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        return rows.Select(XElement.Parse).ToList();
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        Volatile.Write(ref _preloaded, null);
        StoreAsync(element, friendlyName).GetAwaiter().GetResult();
    }

    /// <summary>The stored XML, as it is in the table.</summary>
    public async Task<IReadOnlyList<string>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT xml FROM {Table} ORDER BY created_utc, id", cancellationToken: cancellationToken))).ToList();
    }

    private async Task StoreAsync(XElement element, string friendlyName)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync($"INSERT INTO {Table} (id, friendly_name, xml, created_utc) VALUES (@id, @name, @xml, @created)", new
        {
            id = Guid.NewGuid().ToString("N"),
            name = friendlyName.Length > 200 ? friendlyName[..200] : friendlyName,
            xml = element.ToString(SaveOptions.DisableFormatting),
            created = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime),
        });
    }
}
