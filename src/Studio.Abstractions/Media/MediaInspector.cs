using System.Buffers.Binary;
using Studio.Localization;

namespace Studio.Media;

/// <summary>What an upload is used for; each kind has its own formats and limits.</summary>
public enum MediaKind
{
    Logo,
    Favicon,
    /// <summary>A photo shown on a page (e.g. a room's): larger files and sides than a logo.</summary>
    Photo,
}

/// <summary>An image recognised from its bytes.</summary>
public sealed record SniffedImage(string ContentType, string Extension, int Width, int Height);

/// <summary>Why an upload was refused: the message key (localized by the caller) and its arguments.</summary>
public sealed record MediaRefusal(string Message, params object[] Arguments);

/// <summary>
/// Decides what an uploaded file is from its bytes alone — the file name and the Content-Type the client sends
/// are never looked at — and checks size and pixel dimensions. Logos: PNG, JPEG, WebP, GIF. Favicons: those and
/// ICO; photos: PNG, JPEG, WebP, GIF. Shared by every module that takes an image upload (Settings' brand files,
/// Bookings' room photos). SVG is refused (see the Settings module README): an SVG is a document that can carry scripts, event handlers and
/// references to other origins, and a sanitiser that misses one case serves script from the studio's origin; a
/// raster logo has no such case.
/// </summary>
public static class MediaInspector
{
    /// <summary>Largest logo accepted, in bytes.</summary>
    public const int MaxLogoBytes = 512 * 1024;

    /// <summary>Largest favicon accepted, in bytes.</summary>
    public const int MaxFaviconBytes = 64 * 1024;

    /// <summary>Largest logo side, in pixels.</summary>
    public const int MaxLogoSide = 4096;

    /// <summary>Largest favicon side, in pixels.</summary>
    public const int MaxFaviconSide = 512;

    /// <summary>Largest photo accepted, in bytes.</summary>
    public const int MaxPhotoBytes = 3 * 1024 * 1024;

    /// <summary>Largest photo side, in pixels.</summary>
    public const int MaxPhotoSide = 8192;

    /// <summary>The byte limit of a kind.</summary>
    public static int MaxBytes(MediaKind kind) => kind switch
    {
        MediaKind.Logo => MaxLogoBytes,
        MediaKind.Photo => MaxPhotoBytes,
        _ => MaxFaviconBytes,
    };

    /// <summary>The pixel limit of a kind (both sides).</summary>
    public static int MaxSide(MediaKind kind) => kind switch
    {
        MediaKind.Logo => MaxLogoSide,
        MediaKind.Photo => MaxPhotoSide,
        _ => MaxFaviconSide,
    };

    /// <summary>
    /// Reads an upload, at most one byte over the kind's limit: a huge upload is refused by <see cref="Inspect"/>
    /// without being held in memory.
    /// </summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream stream, MediaKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var limit = MaxBytes(kind);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length <= limit && (read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>The recognised image, or the refusal.</summary>
    public static (SniffedImage? Image, MediaRefusal? Refusal) Inspect(ReadOnlySpan<byte> data, MediaKind kind)
    {
        if (data.Length == 0)
            return (null, new MediaRefusal(Localizable.Text("The file is empty.")));
        if (data.Length > MaxBytes(kind))
            return (null, new MediaRefusal(Localizable.Text("The file is larger than {0} KB."), MaxBytes(kind) / 1024));
        var image = Sniff(data);
        if (image is null || (image.Extension == "ico" && kind != MediaKind.Favicon))
        {
            return (null, LooksLikeMarkup(data)
                ? new MediaRefusal(Localizable.Text("SVG and other markup files are not accepted; upload a PNG, JPEG, WebP or GIF image."))
                : new MediaRefusal(kind == MediaKind.Favicon
                    ? Localizable.Text("The file is not a PNG, JPEG, WebP, GIF or ICO image.")
                    : Localizable.Text("The file is not a PNG, JPEG, WebP or GIF image.")));
        }
        var max = MaxSide(kind);
        if (image.Width <= 0 || image.Height <= 0 || image.Width > max || image.Height > max)
            return (null, new MediaRefusal(Localizable.Text("The image must be at most {0}×{0} pixels."), max));
        return (image, null);
    }

    /// <summary>The image type and size read from the header, or null when it is none of the accepted formats.</summary>
    public static SniffedImage? Sniff(ReadOnlySpan<byte> d)
    {
        if (d.Length >= 24 && d[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }) && d.Slice(12, 4).SequenceEqual("IHDR"u8))
            return new("image/png", "png", (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(d[16..])), (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(d[20..])));
        if (d.Length >= 10 && (d[..6].SequenceEqual("GIF87a"u8) || d[..6].SequenceEqual("GIF89a"u8)))
            return new("image/gif", "gif", BinaryPrimitives.ReadUInt16LittleEndian(d[6..]), BinaryPrimitives.ReadUInt16LittleEndian(d[8..]));
        if (d.Length >= 30 && d[..4].SequenceEqual("RIFF"u8) && d.Slice(8, 4).SequenceEqual("WEBP"u8))
            return WebP(d);
        if (d.Length >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
            return Jpeg(d);
        // ICONDIR: reserved 0, type 1, 1..255 images; each entry's width/height byte (0 means 256).
        if (d.Length >= 22 && d[0] == 0 && d[1] == 0 && d[2] == 1 && d[3] == 0 && BinaryPrimitives.ReadUInt16LittleEndian(d[4..]) is > 0 and < 256)
            return new("image/x-icon", "ico", d[6] == 0 ? 256 : d[6], d[7] == 0 ? 256 : d[7]);
        return null;
    }

    private static SniffedImage? WebP(ReadOnlySpan<byte> d)
    {
        var chunk = d.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
            return new("image/webp", "webp", 1 + (d[24] | d[25] << 8 | d[26] << 16), 1 + (d[27] | d[28] << 8 | d[29] << 16));
        if (chunk.SequenceEqual("VP8L"u8) && d[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            return new("image/webp", "webp", (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8 "u8) && d[23] == 0x9D && d[24] == 0x01 && d[25] == 0x2A)
            return new("image/webp", "webp", BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
        return null;
    }

    // Walks the JPEG segments to the first start-of-frame marker, which holds the dimensions.
    private static SniffedImage? Jpeg(ReadOnlySpan<byte> d)
    {
        var i = 2;
        while (i + 9 < d.Length)
        {
            if (d[i] != 0xFF)
                return null;
            var marker = d[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7)) { i += 2; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            if (length < 2)
                return null;
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return new("image/jpeg", "jpg", BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]));
            i += 2 + length;
        }
        return null;
    }

    private static bool LooksLikeMarkup(ReadOnlySpan<byte> d)
    {
        var head = System.Text.Encoding.UTF8.GetString(d[..Math.Min(d.Length, 512)]).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return head.StartsWith('<');
    }
}
