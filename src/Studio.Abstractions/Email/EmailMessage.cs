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
public sealed record EmailMessage(Guid Id, string To, string ToName, string Subject, string HtmlBody, string TextBody);
