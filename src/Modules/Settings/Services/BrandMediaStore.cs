using System.Security.Cryptography;
using Dapper;
using Studio.Data;
using Studio.Media;

namespace Studio.Modules.Settings.Services;

/// <summary>A stored brand file.</summary>
public sealed record BrandMedia(string Kind, string Hash, string ContentType, string Extension, byte[] Bytes);

/// <summary>
/// The tenant's brand files in its own database (<c>settings_media</c>). Only ever reaches the current tenant's
/// database (<see cref="ITenantDatabase"/>), so one tenant can never be served another's files.
/// </summary>
public sealed class BrandMediaStore(ITenantDatabase database) : Studio.Platform.IBrandMediaStore
{
    /// <summary>The URL path prefix (tenant-relative) media is served under.</summary>
    public const string PathPrefix = "/media/brand/";

    /// <summary>The tenant-relative URL of a stored file: kind, content hash and extension, so it never changes meaning.</summary>
    public static string UrlOf(MediaKind kind, string hash, string extension) =>
        $"{PathPrefix}{KindName(kind)}-{hash}.{extension}";

    /// <summary>Stores a checked image (idempotent: the same bytes give the same row) and returns its URL.</summary>
    public async Task<string> SaveAsync(MediaKind kind, SniffedImage image, byte[] bytes, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM settings_media WHERE kind = @kind AND hash = @hash", new { kind = KindName(kind), hash }, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO settings_media (kind, hash, content_type, extension, width, height, bytes, created_ms) VALUES (@kind, @hash, @ContentType, @Extension, @Width, @Height, @bytes, @now)",
                    new { kind = KindName(kind), hash, image.ContentType, image.Extension, image.Width, image.Height, bytes, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                    cancellationToken: cancellationToken));
            }
            catch (System.Data.Common.DbException)
            {
                // The same file uploaded twice at once: the other request stored it; anything else is a real error.
                if (await CountAsync(connection, kind, hash, cancellationToken) == 0)
                    throw;
            }
        }
        return UrlOf(kind, hash, image.Extension);
    }

    /// <summary>The file named by a URL's last segment (<c>logo-{hash}.{ext}</c>), or null.</summary>
    public async Task<BrandMedia?> FindAsync(string fileName, CancellationToken cancellationToken)
    {
        var dash = fileName.IndexOf('-', StringComparison.Ordinal);
        var dot = fileName.LastIndexOf('.');
        if (dash <= 0 || dot <= dash)
            return null;
        var (kind, hash, extension) = (fileName[..dash], fileName[(dash + 1)..dot], fileName[(dot + 1)..]);
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string ContentType, string Extension, byte[] Bytes)>(new CommandDefinition(
            "SELECT content_type, extension, bytes FROM settings_media WHERE kind = @kind AND hash = @hash", new { kind, hash }, cancellationToken: cancellationToken));
        return row.Bytes is null || row.Extension != extension ? null : new BrandMedia(kind, hash, row.ContentType, row.Extension, row.Bytes);
    }

    /// <summary>Deletes the files of a kind other than the one in use (called after a save that changed it).</summary>
    public async Task PruneAsync(MediaKind kind, string? urlInUse, CancellationToken cancellationToken)
    {
        var keep = urlInUse is not null && urlInUse.StartsWith(PathPrefix, StringComparison.Ordinal)
            ? urlInUse[(PathPrefix.Length + KindName(kind).Length + 1)..].Split('.')[0]
            : "";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM settings_media WHERE kind = @kind AND hash <> @keep", new { kind = KindName(kind), keep }, cancellationToken: cancellationToken));
    }

    private static async Task<long> CountAsync(System.Data.Common.DbConnection connection, MediaKind kind, string hash, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM settings_media WHERE kind = @kind AND hash = @hash", new { kind = KindName(kind), hash }, cancellationToken: cancellationToken));

    private static string KindName(MediaKind kind) => kind == MediaKind.Logo ? "logo" : "favicon";
}
