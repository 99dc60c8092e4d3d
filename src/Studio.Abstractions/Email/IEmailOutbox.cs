using System.Data.Common;

namespace Studio.Email;

/// <summary>
/// The tenant's persistent email outbox (feature <c>Studio.Email</c>). Queued messages are delivered in the
/// background with retries and provider failover; a provider outage delays mail but loses none.
/// </summary>
public interface IEmailOutbox
{
    /// <summary>
    /// Queues a message. Given the caller's open <paramref name="transaction"/> (on the tenant's database), the
    /// row is written inside it: the message exists only if the caller's change commits. Without one, the row is
    /// written on its own and delivery is attempted at once. Queueing an id that is already queued does nothing.
    /// </summary>
    Task EnqueueAsync(EmailMessage message, DbTransaction? transaction = null, CancellationToken cancellationToken = default);
}

/// <summary>Renders the tenant's branded, localized email templates.</summary>
public interface IEmailTemplates
{
    /// <summary>
    /// Renders template <paramref name="template"/> (e.g. <c>invitation</c>) in the recipient's
    /// <paramref name="culture"/> (null: the tenant's), with <paramref name="values"/> inserted encoded.
    /// </summary>
    /// <exception cref="ArgumentException">No such template.</exception>
    EmailMessage Render(string template, string to, string toName, string? culture, IReadOnlyDictionary<string, string> values);
}
