using System.Data.Common;
using Dapper;
using Studio.Data;
using Studio.Email;

namespace Studio.Modules.Email.Outbox;

/// <summary>What an operator (and a test) sees of one queued message.</summary>
public sealed record OutboxEntry(Guid MessageId, string To, string Subject, string Status, int Attempts,
    DateTime NextAttemptUtc, string? LastError, string? Provider, DateTime? SentUtc);

/// <summary>The tenant's outbox table: queueing and reading. Delivery is <see cref="EmailDispatcher"/>'s job.</summary>
public sealed class EmailOutbox(ITenantDatabase database, TimeProvider clock, EmailDispatchPump pump) : IEmailOutbox
{
    /// <inheritdoc />
    public async Task EnqueueAsync(EmailMessage message, DbTransaction? transaction = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message.To) || !MimeKit.MailboxAddress.TryParse(message.To, out _))
            throw new ArgumentException("The recipient address is not valid.", nameof(message));
        OutboxAttachments.Validate(message.Attachments ?? []);
        var now = OutboxTime.Param(database.Dialect, clock.GetUtcNow());
        var sql = """
            INSERT INTO email_outbox (message_id, to_address, to_name, subject, html_body, text_body, attachments, status, attempts, next_attempt_utc, created_utc)
            VALUES (@id, @to, @toName, @subject, @html, @text, @attachments, 'pending', 0, @now, @now)
            ON CONFLICT (message_id) DO NOTHING
            """;
        var parameters = new { id = message.Id.ToString("D"), to = message.To, toName = message.ToName, subject = message.Subject,
            html = message.HtmlBody, text = message.TextBody,
            attachments = OutboxAttachments.Serialize(message.Attachments ?? []), now };
        if (transaction is not null)
        {
            // The caller's transaction: the message exists exactly when the caller's change commits. The pump
            // finds it on its next round; nudging now could run before the commit.
            await transaction.Connection!.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
            return;
        }
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        pump.Nudge();
    }

    /// <summary>The most recent messages, newest first.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync(new CommandDefinition(
            "SELECT message_id, to_address, subject, status, attempts, next_attempt_utc, last_error, provider, sent_utc FROM email_outbox ORDER BY id DESC LIMIT @take",
            new { take }, cancellationToken: cancellationToken));
        return rows.Select(r => (IDictionary<string, object?>)r).Select(r => new OutboxEntry(
            Guid.Parse((string)r["message_id"]!), (string)r["to_address"]!, (string)r["subject"]!, (string)r["status"]!,
            Convert.ToInt32(r["attempts"], System.Globalization.CultureInfo.InvariantCulture),
            StoredUtc.ReadOrNull(r["next_attempt_utc"])!.Value, (string?)r["last_error"], (string?)r["provider"], StoredUtc.ReadOrNull(r["sent_utc"]))).ToList();
    }
}
