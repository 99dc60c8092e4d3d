namespace Studio.Email;

/// <summary>
/// One transactional email, ready to send: rendered for its recipient (language, brand) before it is queued,
/// so what is delivered later is exactly what the caller saw at enqueue time.
/// </summary>
/// <param name="Id">Idempotency key: queueing the same id twice keeps one message. Use a new id per message.</param>
/// <param name="To">Recipient address.</param>
/// <param name="ToName">Recipient display name (may be empty).</param>
/// <param name="Subject">Subject line.</param>
/// <param name="HtmlBody">HTML body (already encoded; templates encode every value they insert).</param>
/// <param name="TextBody">Plain-text alternative.</param>
public sealed record EmailMessage(Guid Id, string To, string ToName, string Subject, string HtmlBody, string TextBody)
{
    /// <summary>Files sent with the message (e.g. a booking's <c>.ics</c>), stored with it in the outbox.</summary>
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];
}

/// <summary>A file attached to an <see cref="EmailMessage"/>.</summary>
/// <param name="FileName">File name shown to the recipient, e.g. <c>session.ics</c>.</param>
/// <param name="ContentType">MIME type, e.g. <c>text/calendar; method=REQUEST</c>.</param>
/// <param name="Content">The bytes (keep it small: the outbox stores it).</param>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);
