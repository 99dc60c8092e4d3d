using MimeKit;

namespace Studio.Modules.Email.Providers;

/// <summary>One way of delivering a message. The dispatcher tries the tenant's providers in order.</summary>
public interface IEmailProvider
{
    /// <summary>Name for logs and the outbox's last error; never contains a secret.</summary>
    string Name { get; }

    /// <summary>Delivers the message or throws; <see cref="EmailDeliveryException.Permanent"/> says retrying is useless.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>A provider's failure, with a message safe to log and store (no credentials).</summary>
public sealed class EmailDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>True when the provider refused the message itself (5xx): another attempt will not help.</summary>
    public bool Permanent { get; } = permanent;
}
