using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Data;
using Studio.Media;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>A stored photo's bytes, for serving.</summary>
public sealed record RoomPhotoFile(string ContentType, string Extension, byte[] Bytes);

/// <summary>
/// Room photos in the tenant's own database (<c>bk_room_photos</c>). Uploads are recognised from their bytes only
/// (<see cref="MediaInspector"/>, kind <see cref="MediaKind.Photo"/>: PNG, JPEG, WebP or GIF, at most 3 MB and
/// 8192 px a side; SVG refused) and served at <c>/media/rooms/{roomId}/{photoId}-{sha256}.{ext}</c>.
/// </summary>
public sealed class RoomPhotoStore(ITenantDatabase database, IAuditTrail audit, TimeProvider clock, IStringLocalizer<RoomPhotoStore> localizer)
{
    /// <summary>The tenant-relative path prefix photos are served under.</summary>
    public const string PathPrefix = "/media/rooms/";

    /// <summary>Most photos a room may have.</summary>
    public const int MaxPerRoom = 12;

    /// <summary>The tenant-relative URL of a photo (its hash in the name: the content behind it never changes).</summary>
    public static string UrlOf(RoomPhoto photo) => $"{PathPrefix}{photo.RoomId}/{photo.Id}-{photo.Sha256}.{ExtensionOf(photo.ContentType)}";

    public async Task<IReadOnlyList<RoomPhoto>> ListAsync(long roomId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<PhotoRow>(new CommandDefinition(
            "SELECT id AS Id, room_id AS RoomId, content_type AS ContentType, sha256 AS Sha256, sort_order AS SortOrder FROM bk_room_photos WHERE room_id = @roomId ORDER BY sort_order, id",
            new { roomId }, cancellationToken: cancellationToken))).Select(r => r.ToPhoto()).ToList();
    }

    /// <summary>Checks and stores an upload; a refused file stores nothing (<see cref="BookingValidationException"/>).</summary>
    public async Task<RoomPhoto> AddAsync(long roomId, byte[] bytes, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var (image, refusal) = MediaInspector.Inspect(bytes, MediaKind.Photo);
        if (refusal is not null)
            throw new BookingValidationException(localizer[refusal.Message, refusal.Arguments], "Photo");
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        RoomPhoto photo;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var room = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM bk_rooms WHERE id = @roomId", new { roomId }, transaction, cancellationToken: cancellationToken));
            if (room == 0)
                throw new BookingValidationException(localizer["The room does not exist (any more)."]);
            var (count, last) = await connection.QuerySingleAsync<(long Count, long Last)>(new CommandDefinition(
                "SELECT COUNT(*), COALESCE(MAX(sort_order), 0) FROM bk_room_photos WHERE room_id = @roomId", new { roomId }, transaction, cancellationToken: cancellationToken));
            if (count >= MaxPerRoom)
                throw new BookingValidationException(localizer["A room can have at most {0} photos; delete one first.", MaxPerRoom], "Photo");
            var sort = (int)last + 1;
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO bk_room_photos (room_id, content_type, sha256, bytes, sort_order, created_utc) VALUES (@roomId, @type, @hash, @bytes, @sort, @now) RETURNING id",
                new { roomId, type = image!.ContentType, hash, bytes, sort, now = database.UtcParam(clock.GetUtcNow().UtcDateTime) },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            photo = new RoomPhoto(id, roomId, image.ContentType, hash, sort);
        }
        await audit.RecordAsync(new AuditRecord(actor, "bookings.room.photo.added", $"room:{roomId}", null,
            new { photo.Id, photo.ContentType, photo.Sha256, image.Width, image.Height, Bytes = bytes.Length }), cancellationToken);
        return photo;
    }

    public async Task DeleteAsync(long roomId, long photoId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        int deleted;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM bk_room_photos WHERE id = @photoId AND room_id = @roomId", new { photoId, roomId }, cancellationToken: cancellationToken));
        if (deleted > 0)
            await audit.RecordAsync(new AuditRecord(actor, "bookings.room.photo.deleted", $"room:{roomId}", new { Id = photoId }), cancellationToken);
    }

    /// <summary>The photo named by a URL (<c>{photoId}-{sha256}.{ext}</c> under its room), or null.</summary>
    public async Task<RoomPhotoFile?> FindAsync(long roomId, string fileName, CancellationToken cancellationToken = default)
    {
        var dash = fileName.IndexOf('-', StringComparison.Ordinal);
        var dot = fileName.LastIndexOf('.');
        if (dash <= 0 || dot <= dash || !long.TryParse(fileName[..dash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            return null;
        var (hash, extension) = (fileName[(dash + 1)..dot], fileName[(dot + 1)..]);
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string ContentType, string Sha256, byte[] Bytes)>(new CommandDefinition(
            "SELECT content_type, sha256, bytes FROM bk_room_photos WHERE id = @id AND room_id = @roomId", new { id, roomId }, cancellationToken: cancellationToken));
        return row.Bytes is null || row.Sha256 != hash || ExtensionOf(row.ContentType) != extension ? null
            : new RoomPhotoFile(row.ContentType, extension, row.Bytes);
    }

    private static string ExtensionOf(string contentType) => contentType switch
    {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "image/gif" => "gif",
        _ => "bin",
    };

    private sealed class PhotoRow
    {
        public long Id { get; set; }
        public long RoomId { get; set; }
        public string ContentType { get; set; } = "";
        public string Sha256 { get; set; } = "";
        public int SortOrder { get; set; }
        public RoomPhoto ToPhoto() => new(Id, RoomId, ContentType, Sha256, SortOrder);
    }
}
