using Dapper;
using Microsoft.Extensions.Logging;
using MimeKit;
using Studio.Data;
using Studio.Modules.Email.Providers;
using Studio.Modules.Email.Settings;
using Studio.Tenancy;

namespace Studio.Modules.Email.Outbox;

/// <summary>
/// Delivers the tenant's due outbox rows. Each row is claimed with one conditional UPDATE before it is sent, so
/// two dispatchers (two host instances, or the pump and an immediate attempt) never send it twice; a claim is a
/// lease, so a row whose dispatcher died is taken again once the lease ends. Providers are tried in order;
/// when all fail the row waits with exponential backoff until its attempts run out.
/// </summary>
public sealed class EmailDispatcher(
    ITenantDatabase database,
    EmailSettings settings,
    IReadOnlyList<IEmailProvider> providers,
    TenantContext tenant,
    TimeProvider clock,
    ILogger<EmailDispatcher> logger)
{
    private const string Due = "((status = 'pending' AND next_attempt_utc <= @now) OR (status = 'sending' AND claimed_until_utc <= @now))";

    /// <summary>How long a claim holds: longer than any one delivery can take.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>Delivers every due message (up to <paramref name="batch"/>); returns how many were sent.</summary>
    public async Task<int> DispatchAsync(int batch = 50, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        List<string> due;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            due = (await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT message_id FROM email_outbox WHERE {Due} ORDER BY id LIMIT @batch",
                new { now = OutboxTime.Param(database.Dialect, now), batch }, cancellationToken: cancellationToken))).ToList();
        var sent = 0;
        foreach (var id in due)
        {
            if (await DeliverAsync(id, cancellationToken))
                sent++;
        }
        return sent;
    }

    private async Task<bool> DeliverAsync(string id, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, claimed_until_utc = @lease WHERE message_id = @id AND {Due}",
            new { id, now = OutboxTime.Param(database.Dialect, now), lease = OutboxTime.Param(database.Dialect, now + Lease) },
            cancellationToken: cancellationToken));
        if (claimed != 1)
            return false; // another dispatcher has it, or it is no longer due
        var row = await connection.QuerySingleAsync<(string To, string ToName, string Subject, string Html, string Text, long Attempts, string? Attachments)>(new CommandDefinition(
            "SELECT to_address, to_name, subject, html_body, text_body, attempts, attachments FROM email_outbox WHERE message_id = @id",
            new { id }, cancellationToken: cancellationToken));

        var message = Build(id, row.To, row.ToName, row.Subject, row.Html, row.Text, OutboxAttachments.Deserialize(row.Attachments));
        var errors = new List<string>();
        var permanent = true;
        foreach (var provider in providers)
        {
            try
            {
                await provider.SendAsync(message, cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE email_outbox SET status = 'sent', sent_utc = @now, provider = @provider, claimed_until_utc = NULL, last_error = @error WHERE message_id = @id",
                    new { id, now = OutboxTime.Param(database.Dialect, clock.GetUtcNow()), provider = provider.Name,
                        error = errors.Count == 0 ? null : Truncate(string.Join("; ", errors)) }, cancellationToken: CancellationToken.None));
                logger.LogInformation("Email {MessageId} of tenant {Tenant} delivered by {Provider} (attempt {Attempt})",
                    id, tenant.Name, provider.Name, row.Attempts);
                return true;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Stopping, not failing: give the claim back untouched so the next dispatcher sends it at once.
                // (A send cut short after the server accepted it is re-sent with the same Message-ID.)
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE email_outbox SET status = 'pending', attempts = attempts - 1, claimed_until_utc = NULL WHERE message_id = @id AND status = 'sending'",
                    new { id }, cancellationToken: CancellationToken.None));
                throw;
            }
            catch (Exception e)
            {
                // Anything a provider throws moves on to the next one. An unexpected exception is reported by
                // its type only: its message could carry what the provider was given.
                var error = e is EmailDeliveryException delivery ? delivery.Message : $"{provider.Name}: {e.GetType().Name}";
                errors.Add(error);
                permanent &= e is EmailDeliveryException { Permanent: true };
                logger.LogWarning("Email {MessageId} of tenant {Tenant}: provider failed: {Error}", id, tenant.Name, error);
            }
        }
        if (providers.Count == 0)
        {
            errors.Add("no email provider is configured");
            permanent = false;
        }

        var attempts = (int)row.Attempts;
        var giveUp = permanent || attempts >= settings.MaxAttempts;
        var next = clock.GetUtcNow() + Backoff(attempts);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE email_outbox SET status = @status, next_attempt_utc = @next, claimed_until_utc = NULL, last_error = @error WHERE message_id = @id",
            new { id, status = giveUp ? OutboxStatus.Failed : OutboxStatus.Pending, next = OutboxTime.Param(database.Dialect, next),
                error = Truncate(string.Join("; ", errors)) }, cancellationToken: CancellationToken.None));
        if (giveUp)
            logger.LogError("Email {MessageId} of tenant {Tenant} failed permanently after {Attempts} attempts: {Error}",
                id, tenant.Name, attempts, string.Join("; ", errors));
        else
            logger.LogWarning("Email {MessageId} of tenant {Tenant} not delivered (attempt {Attempts}); next attempt at {Next:O}",
                id, tenant.Name, attempts, next);
        return false;
    }

    /// <summary>Delay after the <paramref name="attempts"/>-th failure: the base delay doubled each time, capped.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(settings.RetryDelay.Ticks * factor, settings.MaxRetryDelay.Ticks));
        return delay;
    }

    private MimeMessage Build(string id, string to, string toName, string subject, string html, string text, IReadOnlyList<Studio.Email.EmailAttachment> attachments)
    {
        var fromName = settings.FromName.Length > 0 ? settings.FromName
            : tenant.Brand.DisplayName.Length > 0 ? tenant.Brand.DisplayName : tenant.DisplayName;
        var message = new MimeMessage { Subject = subject };
        message.From.Add(new MailboxAddress(fromName, settings.FromAddress));
        message.To.Add(new MailboxAddress(toName, to));
        // Stable across retries and providers, so a receiver can tell a re-delivery from a new message.
        var domain = settings.FromAddress.Contains('@', StringComparison.Ordinal) ? settings.FromAddress[(settings.FromAddress.IndexOf('@') + 1)..] : "studio.local";
        message.MessageId = $"{id}@{domain}";
        var body = new BodyBuilder { HtmlBody = html, TextBody = text };
        OutboxAttachments.AddTo(body, attachments);
        message.Body = body.ToMessageBody();
        return message;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
