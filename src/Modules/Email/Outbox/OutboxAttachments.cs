using System.Text.Json;
using MimeKit;
using Studio.Email;

namespace Studio.Modules.Email.Outbox;

/// <summary>
/// Attachments as the outbox stores them (a JSON array, content in base64) and as they are checked before a
/// message is queued: a plain file name, a valid MIME type, and a small total size (the outbox keeps the bytes).
/// </summary>
internal static class OutboxAttachments
{
    /// <summary>Largest total size of a message's attachments.</summary>
    public const int MaxTotalBytes = 2 * 1024 * 1024;

    /// <summary>Most attachments on one message.</summary>
    public const int MaxCount = 10;

    private sealed record Stored(string FileName, string ContentType, string Content);

    /// <summary>Throws <see cref="ArgumentException"/> with the reason when an attachment cannot be sent.</summary>
    public static void Validate(IReadOnlyList<EmailAttachment> attachments)
    {
        if (attachments.Count > MaxCount)
            throw new ArgumentException($"A message carries at most {MaxCount} attachments.", nameof(attachments));
        long total = 0;
        foreach (var attachment in attachments)
        {
            if (attachment is null)
                throw new ArgumentException("An attachment is missing.", nameof(attachments));
            var name = attachment.FileName;
            if (string.IsNullOrWhiteSpace(name) || name.Length > 200 || name.Any(char.IsControl)
                || name.IndexOfAny(['/', '\\', ':', '"', '<', '>', '|', '?', '*']) >= 0 || name.Trim('.', ' ').Length == 0)
                throw new ArgumentException($"The attachment name '{name}' is not a plain file name.", nameof(attachments));
            if (!ContentType.TryParse(attachment.ContentType ?? "", out _))
                throw new ArgumentException($"The attachment '{name}' has no valid content type.", nameof(attachments));
            if (attachment.Content is null || attachment.Content.Length == 0)
                throw new ArgumentException($"The attachment '{name}' is empty.", nameof(attachments));
            total += attachment.Content.Length;
        }
        if (total > MaxTotalBytes)
            throw new ArgumentException($"The attachments exceed {MaxTotalBytes / 1024 / 1024} MB.", nameof(attachments));
    }

    /// <summary>The column's value: null without attachments.</summary>
    public static string? Serialize(IReadOnlyList<EmailAttachment> attachments) => attachments.Count == 0 ? null
        : JsonSerializer.Serialize(attachments.Select(a => new Stored(a.FileName, a.ContentType, Convert.ToBase64String(a.Content))).ToList());

    /// <summary>Reads the column back.</summary>
    public static IReadOnlyList<EmailAttachment> Deserialize(string? json) => string.IsNullOrEmpty(json) ? []
        : (JsonSerializer.Deserialize<List<Stored>>(json) ?? []).Select(s => new EmailAttachment(s.FileName, s.ContentType, Convert.FromBase64String(s.Content))).ToList();

    /// <summary>Adds the attachments to a message being built.</summary>
    public static void AddTo(BodyBuilder body, IReadOnlyList<EmailAttachment> attachments)
    {
        foreach (var attachment in attachments)
        {
            var entity = body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
            // Base64 whatever the type: a text file (an .ics needs its CRLF line ends) arrives byte for byte.
            if (entity is MimePart part)
                part.ContentTransferEncoding = ContentEncoding.Base64;
        }
    }
}
