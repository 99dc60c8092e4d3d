using System.Text;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Data;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>What an import did, or why it did nothing.</summary>
public sealed record ClientImportReport(string Format, int Rows, int Created, int Updated, IReadOnlyList<ClientImportError> Errors)
{
    /// <summary>True when the file was imported; false when nothing at all was written.</summary>
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports and exports the client list as CSV or vCard (3.0/4.0).
/// <para>
/// <b>All or nothing.</b> Every row is read and checked against the same rules as the edit page first; if any row
/// (or the file itself) has a problem, the report lists every problem with its row and nothing is written. Otherwise
/// all rows are written in one transaction. A row whose e-mail matches a client already stored (case-insensitive,
/// archived clients excepted) updates that client with the fields the file gives; any other row creates a client.
/// Two rows with the same e-mail are refused. Files are UTF-8, at most <see cref="MaxBytes"/> bytes and
/// <see cref="MaxRows"/> clients. One audit entry records the import.
/// </para>
/// </summary>
public sealed class ClientImport(ITenantDatabase database, ClientDirectory directory, ClientRules rules, ClientCsv csv,
    ClientVCards vcards, IAuditTrail audit, IStringLocalizer<ClientImport> localizer)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;

    public const string Csv = "csv", VCard = "vcard";

    /// <summary>Imports a file's bytes; <paramref name="fileName"/> helps tell CSV from vCard (the content decides too).</summary>
    public async Task<ClientImportReport> ImportAsync(byte[] bytes, string? fileName, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(actor);
        if (bytes.Length == 0)
            return Failed("", localizer["The file is empty."]);
        if (bytes.Length > MaxBytes)
            return Failed("", localizer["The file is larger than {0} MB.", MaxBytes / 1024 / 1024]);
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { return Failed("", localizer["The file is not UTF-8 text. Save it as CSV UTF-8 or as a vCard."]); }
        text = text.TrimStart('\uFEFF');

        var format = text.TrimStart().StartsWith("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase)
            || Path.GetExtension(fileName ?? "").ToLowerInvariant() is ".vcf" or ".vcard" ? VCard : Csv;
        var (rows, fileError) = format == VCard ? vcards.Read(text, MaxRows) : csv.Read(text, MaxRows);
        if (fileError is not null)
            return new ClientImportReport(format, 0, 0, 0, [fileError]);
        if (rows.Count == 0)
            return Failed(format, localizer["The file holds no clients."]);

        // Check every row before writing anything.
        var errors = new List<ClientImportError>();
        var checkedRows = new List<(ClientImportRow Row, Client Client)>();
        var emails = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            errors.AddRange(row.Errors);
            var client = rules.Check(row.Client with { Id = 0 }, out var problems);
            errors.AddRange(problems.Select(p => new ClientImportError(row.Row, p.Field, p.Message)));
            if (client?.Email is { } email)
            {
                if (emails.TryGetValue(email.ToLowerInvariant(), out var first))
                    errors.Add(new ClientImportError(row.Row, ClientFields.Email, localizer["The e-mail {0} is also on row {1}.", email, first]));
                else
                    emails[email.ToLowerInvariant()] = row.Row;
            }
            if (client is not null)
                checkedRows.Add((row, client));
        }
        if (errors.Count > 0)
            return new ClientImportReport(format, rows.Count, 0, 0, errors.OrderBy(e => e.Row).ToList());

        var created = new List<long>();
        var updated = new List<long>();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var existing = await ClientDirectory.ByEmailAsync(connection, transaction, cancellationToken);
            foreach (var (row, client) in checkedRows)
            {
                try
                {
                    if (client.Email is { } email && existing.TryGetValue(email.ToLowerInvariant(), out var id)
                        && await ClientDirectory.GetAsync(connection, transaction, id, cancellationToken) is { } stored)
                    {
                        var merged = rules.Normalise(ClientFields.Merge(stored, client, row.Fields));
                        await directory.SaveAsync(connection, transaction, merged, cancellationToken);
                        updated.Add(id);
                    }
                    else
                    {
                        var (saved, _) = await directory.SaveAsync(connection, transaction, client, cancellationToken);
                        created.Add(saved.Id);
                    }
                }
                catch (BookingValidationException e)
                {
                    // Rolled back when the transaction is disposed uncommitted: nothing of the file is kept.
                    return new ClientImportReport(format, rows.Count, 0, 0, [new ClientImportError(row.Row, e.Field, e.Message)]);
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await audit.RecordAsync(new AuditRecord(actor, "bookings.clients.imported", "clients",
            After: new { format, file = fileName, rows = rows.Count, created, updated }), cancellationToken);
        return new ClientImportReport(format, rows.Count, created.Count, updated.Count, []);
    }

    /// <summary>Every client as a file: (bytes, content type, extension).</summary>
    public async Task<(byte[] Bytes, string ContentType, string Extension)> ExportAsync(string format, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var clients = await directory.AllAsync(cancellationToken);
        var file = format switch
        {
            "vcard3" => (ClientVCards.Write(clients, "3.0"), "text/vcard; charset=utf-8", "vcf"),
            "vcard4" or VCard => (ClientVCards.Write(clients, "4.0"), "text/vcard; charset=utf-8", "vcf"),
            _ => (ClientCsv.Write(clients), "text/csv; charset=utf-8", "csv"),
        };
        // Personal data leaving the studio: recorded.
        await audit.RecordAsync(new AuditRecord(actor, "bookings.clients.exported", "clients", After: new { format, count = clients.Count }), cancellationToken);
        return file;
    }

    private ClientImportReport Failed(string format, string message) => new(format, 0, 0, 0, [new ClientImportError(0, null, message)]);
}
