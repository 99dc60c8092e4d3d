using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Studio.Modules.Email.Settings;
using Studio.Security;

namespace Studio.Modules.Email.Providers;

/// <summary>Delivers through an SMTP relay with MailKit.</summary>
/// <param name="settings">The provider's settings.</param>
/// <param name="secrets">The tenant's protector: the stored password is decrypted only when connecting.</param>
public sealed class SmtpEmailProvider(EmailProviderSettings settings, ISecretProtector secrets) : IEmailProvider
{
    /// <inheritdoc />
    public string Name => settings.DisplayName;

    /// <inheritdoc />
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, TlsMode(settings.Tls), cancellationToken);
            if (settings.User.Length > 0)
                await client.AuthenticateAsync(settings.User, Password(), cancellationToken);
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        // Messages are rebuilt from status codes and exception types only: a server may echo what it was sent
        // (e.g. an AUTH line), and that must never reach a log or the outbox.
        catch (SmtpCommandException e)
        {
            throw new EmailDeliveryException($"{Name}: {e.ErrorCode} refused with {(int)e.StatusCode}", permanent: (int)e.StatusCode >= 500, e);
        }
        catch (AuthenticationException e)
        {
            throw new EmailDeliveryException($"{Name}: authentication refused", permanent: false, e);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException
                                      or SslHandshakeException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new EmailDeliveryException($"{Name}: {e.GetType().Name}{(e is SocketException s ? " " + s.SocketErrorCode : "")}", permanent: false, e);
        }
    }

    private string Password()
    {
        try { return SecretSettings.Reveal(secrets, settings.Password, settings.PasswordProtected); }
        catch (CryptographicException e)
        {
            // Made with another tenant's keys, or keys that are gone: a settings problem an operator must fix.
            throw new EmailDeliveryException($"{Name}: the stored SMTP password cannot be decrypted; set it again", permanent: false, e);
        }
    }

    private static SecureSocketOptions TlsMode(string mode) => mode.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "starttlswhenavailable" => SecureSocketOptions.StartTlsWhenAvailable,
        "sslonconnect" => SecureSocketOptions.SslOnConnect,
        "auto" => SecureSocketOptions.Auto,
        _ => throw new EmailDeliveryException($"unknown TLS mode '{mode}'", permanent: true),
    };
}
