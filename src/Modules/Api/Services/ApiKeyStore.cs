using System.Security.Cryptography;
using System.Text;
using Dapper;
using Studio.Data;

namespace Studio.Modules.Api.Services;

/// <summary>An API key as listed (never its secret).</summary>
public sealed record ApiKeyInfo(string Id, string Prefix, string Name, string? Reseller, DateTime CreatedUtc, string CreatedBy,
    DateTime? LastUsedUtc, DateTime? RevokedUtc)
{
    /// <summary>A platform (operator) key: not confined to a reseller.</summary>
    public bool IsPlatform => Reseller is null;
    public bool IsRevoked => RevokedUtc is not null;
}

/// <summary>A key just created: <see cref="Key"/> is shown once and never stored.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>
/// API keys in the Default tenant's database. A key is <c>stk_{prefix}_{secret}</c>: the prefix (public, unique)
/// finds the row, the SHA-256 of the whole key is compared in constant time. The secret is 256 random bits, so a
/// plain (unsalted, fast) hash is enough: there is nothing to brute-force that is not 2^256.
/// </summary>
public sealed class ApiKeyStore(ITenantDatabase database, TimeProvider clock)
{
    /// <summary>Every key starts with this, so it is recognisable in a leak scanner or a log.</summary>
    public const string KeyPrefix = "stk_";

    /// <summary>Last-used times are written at most this often per key, so the hot path is not a write per call.</summary>
    public static readonly TimeSpan LastUsedGranularity = TimeSpan.FromMinutes(1);

    private const string Columns = "id AS Id, prefix AS Prefix, hash AS Hash, name AS Name, reseller AS Reseller, created_ms AS CreatedMs, " +
        "created_by AS CreatedBy, last_used_ms AS LastUsedMs, revoked_ms AS RevokedMs";

    public async Task<CreatedApiKey> CreateAsync(string name, string? reseller, string createdBy, CancellationToken cancellationToken = default)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = $"{KeyPrefix}{prefix}_{secret}";
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_keys (id, prefix, hash, name, reseller, created_ms, created_by) VALUES (@id, @prefix, @hash, @name, @reseller, @now, @createdBy)",
            new { id, prefix, hash = Hash(key), name, reseller, now, createdBy }, cancellationToken: cancellationToken));
        return new CreatedApiKey(new ApiKeyInfo(id, prefix, name, reseller, FromMs(now)!.Value, createdBy, null, null), key);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM api_keys ORDER BY created_ms DESC", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInfo()).ToList();
    }

    /// <summary>Revokes a key; effective on the next request (every request reads the key's row). False when unknown or already revoked.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_ms = @now WHERE id = @id AND revoked_ms IS NULL",
            new { id, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
        return changed == 1;
    }

    public async Task<ApiKeyInfo?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToInfo();
    }

    /// <summary>
    /// The active key <paramref name="presented"/> is, or null (malformed, unknown, wrong secret, revoked). Marks it
    /// used when its last use is older than <see cref="LastUsedGranularity"/>.
    /// </summary>
    public async Task<ApiKeyInfo?> ValidateAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!TryParse(presented, out var prefix))
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE prefix = @prefix", new { prefix }, cancellationToken: cancellationToken));
        if (row is null || row.RevokedMs is not null)
            return null;
        var expected = Convert.FromHexString(row.Hash);
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            return null;

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var threshold = now - (long)LastUsedGranularity.TotalMilliseconds;
        if (row.LastUsedMs is null || row.LastUsedMs < threshold)
        {
            // Conditional: of several instances (or requests) racing past the read, one write wins per minute.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET last_used_ms = @now WHERE id = @id AND (last_used_ms IS NULL OR last_used_ms < @threshold)",
                new { id = row.Id, now, threshold }, cancellationToken: cancellationToken));
            row.LastUsedMs = now;
        }
        return row.ToInfo();
    }

    internal static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static bool TryParse(string key, out string prefix)
    {
        prefix = "";
        // stk_ + 12 hex + _ + 43 base64url characters; anything else is refused before touching the database.
        if (key.Length != KeyPrefix.Length + 12 + 1 + 43 || !key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key[KeyPrefix.Length + 12] != '_')
            return false;
        prefix = key.Substring(KeyPrefix.Length, 12);
        return prefix.All(char.IsAsciiHexDigitLower);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static DateTime? FromMs(long? ms) => ms is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms.Value).UtcDateTime;

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Prefix { get; set; } = "";
        public string Hash { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Reseller { get; set; }
        public long CreatedMs { get; set; }
        public string CreatedBy { get; set; } = "";
        public long? LastUsedMs { get; set; }
        public long? RevokedMs { get; set; }

        public ApiKeyInfo ToInfo() => new(Id, Prefix, Name, Reseller, FromMs(CreatedMs)!.Value, CreatedBy, FromMs(LastUsedMs), FromMs(RevokedMs));
    }
}
