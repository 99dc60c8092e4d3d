using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Data;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>
/// The tenant's clients in <c>bk_clients</c>, <c>bk_client_contacts</c> and <c>bk_client_notes</c> (Dapper, the
/// tenant's own database only). Every write validates through <see cref="ClientRules"/>, runs in one transaction
/// and is audited after it commits (the audit trail keeps its own hash-chained transaction).
/// </summary>
/// <remarks>
/// An update of a record read earlier (its <see cref="Client.UpdatedUtc"/> set) is refused when the stored record
/// changed since, so two people editing one client never silently overwrite each other; an update built from
/// scratch (UpdatedUtc left default) just applies.
/// <see cref="Client.UserId"/> is never taken from <c>SaveAsync</c>: a record is linked to a portal account only
/// by <see cref="EnsureForUserAsync"/>, so a staff edit (or an imported file) cannot hand a client record to
/// someone else's account.
/// </remarks>
public sealed class ClientDirectory(ITenantDatabase database, ClientRules rules, IAuditTrail audit, TimeProvider clock,
    IStringLocalizer<ClientDirectory> localizer) : IClientDirectory
{
    internal const string Columns =
        "id AS Id, kind AS Kind, name AS Name, artist_name AS ArtistName, email AS Email, phone AS Phone, street AS Street, " +
        "postal_code AS PostalCode, city AS City, country AS Country, culture AS Culture, currency AS Currency, " +
        "default_deposit_percent AS DefaultDepositPercent, vip AS Vip, user_id AS UserId, archived AS Archived, " +
        "created_utc AS CreatedUtc, updated_utc AS UpdatedUtc";

    public const int MaxPageSize = 200;

    public async Task<Client?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    public async Task<Client?> FindByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(userId))
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return Fix(await connection.QuerySingleOrDefaultAsync<Client>(new CommandDefinition(
            $"SELECT {Columns} FROM bk_clients WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken)));
    }

    public async Task<Client> EnsureForUserAsync(string userId, string email, string name, string? culture, AuditActor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(actor);
        // Two requests of the same account may race here: the unique index on user_id lets only one link or
        // create; the loser finds the winner's record on its second pass.
        try { return await EnsureOnceAsync(userId, email, name, culture, actor, cancellationToken); }
        catch (DbException)
        {
            if (await FindByUserAsync(userId, cancellationToken) is { } winner)
                return winner;
            throw;
        }
    }

    private async Task<Client> EnsureOnceAsync(string userId, string email, string name, string? culture, AuditActor actor,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var linked = Fix(await connection.QuerySingleOrDefaultAsync<Client>(new CommandDefinition(
            $"SELECT {Columns} FROM bk_clients WHERE user_id = @userId", new { userId }, transaction, cancellationToken: cancellationToken)));
        if (linked is not null)
        {
            // The account holder's own language choice follows to the record: booking mail is written in it.
            var language = ClientRules.NormaliseCulture(culture);
            if (language is null || language == linked.Culture)
                return linked;
            var changed = Now();
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE bk_clients SET culture = @language, updated_utc = @now WHERE id = @id",
                new { language, now = database.Dialect.UtcValue(changed), id = linked.Id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            var updated = linked with { Culture = language, UpdatedUtc = changed };
            await audit.RecordAsync(new AuditRecord(actor, "bookings.client.language", Target(linked.Id), Snapshot(linked), Snapshot(updated)), cancellationToken);
            return updated;
        }

        var now = Now();
        var address = email?.Trim() ?? "";
        Client? match = null;
        if (ClientRules.IsEmail(address))
            match = Fix(await connection.QueryFirstOrDefaultAsync<Client>(new CommandDefinition(
                $"SELECT {Columns} FROM bk_clients WHERE LOWER(email) = @email AND user_id IS NULL AND kind = 'person' AND archived = @no ORDER BY id",
                new { email = address.ToLowerInvariant(), no = false }, transaction, cancellationToken: cancellationToken)));
        string action;
        Client result;
        if (match is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE bk_clients SET user_id = @userId, updated_utc = @now WHERE id = @id",
                new { userId, now = database.Dialect.UtcValue(now), id = match.Id }, transaction, cancellationToken: cancellationToken));
            result = match with { UserId = userId, UpdatedUtc = now };
            action = "bookings.client.linked";
        }
        else
        {
            var displayName = string.IsNullOrWhiteSpace(name) ? address.Split('@')[0] : name.Trim();
            var candidate = new Client
            {
                Kind = ClientRules.Person,
                Name = displayName.Length > ClientRules.MaxName ? displayName[..ClientRules.MaxName] : displayName,
                Email = ClientRules.IsEmail(address) ? address : null,
                Culture = ClientRules.NormaliseCulture(culture),
            };
            if (string.IsNullOrWhiteSpace(candidate.Name))
                candidate = candidate with { Name = localizer["Client"] };
            var normalised = rules.Normalise(candidate) with { UserId = userId, CreatedUtc = now, UpdatedUtc = now };
            result = await InsertAsync(connection, transaction, normalised, cancellationToken);
            action = "bookings.client.created";
        }
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(new AuditRecord(actor, action, Target(result.Id), After: Snapshot(result)), cancellationToken);
        return result;
    }

    public async Task<ClientPage> SearchAsync(string? text, string? kind, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(text))
        {
            var pattern = "%" + EscapeLike(text.Trim().ToLowerInvariant()) + "%";
            where.Add("(LOWER(name) LIKE @pattern ESCAPE '\\' OR LOWER(COALESCE(artist_name, '')) LIKE @pattern ESCAPE '\\' " +
                      "OR LOWER(COALESCE(email, '')) LIKE @pattern ESCAPE '\\' OR COALESCE(phone, '') LIKE @pattern ESCAPE '\\')");
            parameters.Add("pattern", pattern);
        }
        if (kind is ClientRules.Person or ClientRules.Company)
        {
            where.Add("kind = @kind");
            parameters.Add("kind", kind);
        }
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        parameters.Add("take", pageSize);
        parameters.Add("skip", (page - 1) * pageSize);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM bk_clients" + filter, parameters, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<Client>(new CommandDefinition(
            $"SELECT {Columns} FROM bk_clients{filter} ORDER BY archived, LOWER(name), id LIMIT @take OFFSET @skip",
            parameters, cancellationToken: cancellationToken));
        return new ClientPage(items.Select(c => Fix(c)!).ToList(), page, pageSize, (int)total);
    }

    public async Task<Client> SaveAsync(Client client, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(actor);
        var normalised = rules.Normalise(client);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (saved, before) = await SaveAsync(connection, transaction, normalised, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(new AuditRecord(actor, before is null ? "bookings.client.created" : "bookings.client.updated",
            Target(saved.Id), before is null ? null : Snapshot(before), Snapshot(saved)), cancellationToken);
        return saved;
    }

    /// <summary>Creates or updates an already normalised client inside the caller's transaction; returns it and the record it replaced.</summary>
    internal async Task<(Client Saved, Client? Before)> SaveAsync(DbConnection connection, DbTransaction transaction, Client client,
        CancellationToken cancellationToken)
    {
        var now = Now();
        if (client.Id == 0)
            return (await InsertAsync(connection, transaction, client with { UserId = null, CreatedUtc = now, UpdatedUtc = now }, cancellationToken), null);

        var before = await GetAsync(connection, transaction, client.Id, cancellationToken)
            ?? throw new BookingValidationException(localizer["This client no longer exists."]);
        // A record read earlier carries its UpdatedUtc: if the stored one moved on, someone else saved in between.
        if (client.UpdatedUtc != default && client.UpdatedUtc != before.UpdatedUtc)
            throw new BookingValidationException(localizer["Someone else changed this client meanwhile. Reload the page and make your change again."]);
        if (before.Kind != client.Kind && await HasContactsAsync(connection, transaction, client.Id, cancellationToken))
            throw new BookingValidationException(localizer["A client with member contacts or companies cannot change between person and company; remove the contacts first."], nameof(Client.Kind));
        var saved = client with { UserId = before.UserId, CreatedUtc = before.CreatedUtc, UpdatedUtc = now };
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE bk_clients SET kind = @Kind, name = @Name, artist_name = @ArtistName, email = @Email, phone = @Phone, " +
            "street = @Street, postal_code = @PostalCode, city = @City, country = @Country, culture = @Culture, currency = @Currency, " +
            "default_deposit_percent = @DefaultDepositPercent, vip = @Vip, archived = @Archived, updated_utc = @updated WHERE id = @Id",
            Parameters(saved), transaction, cancellationToken: cancellationToken));
        return (saved, before);
    }

    public async Task<IReadOnlyList<ClientContact>> ListContactsAsync(long companyId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long CompanyId, long PersonId, string Role)>(new CommandDefinition(
            "SELECT c.company_id, c.person_id, c.role FROM bk_client_contacts c JOIN bk_clients p ON p.id = c.person_id " +
            "WHERE c.company_id = @companyId ORDER BY LOWER(p.name), p.id",
            new { companyId }, cancellationToken: cancellationToken));
        return rows.Select(r => new ClientContact(r.CompanyId, r.PersonId, r.Role)).ToList();
    }

    /// <summary>The companies a person is a member contact of.</summary>
    public async Task<IReadOnlyList<ClientContact>> ListCompaniesOfAsync(long personId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long CompanyId, long PersonId, string Role)>(new CommandDefinition(
            "SELECT c.company_id, c.person_id, c.role FROM bk_client_contacts c JOIN bk_clients p ON p.id = c.company_id " +
            "WHERE c.person_id = @personId ORDER BY LOWER(p.name), p.id",
            new { personId }, cancellationToken: cancellationToken));
        return rows.Select(r => new ClientContact(r.CompanyId, r.PersonId, r.Role)).ToList();
    }

    public async Task SetContactAsync(ClientContact contact, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var role = rules.Role(contact.Role);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var company = await GetAsync(connection, transaction, contact.CompanyId, cancellationToken);
        if (company is null || company.Kind != ClientRules.Company)
            throw new BookingValidationException(localizer["Member contacts belong to a company client."], "CompanyId");
        var person = await GetAsync(connection, transaction, contact.PersonId, cancellationToken);
        if (person is null || person.Kind != ClientRules.Person)
            throw new BookingValidationException(localizer["A member contact must be a person client."], "PersonId");
        var before = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT role FROM bk_client_contacts WHERE company_id = @CompanyId AND person_id = @PersonId",
            contact, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(before is null
                ? "INSERT INTO bk_client_contacts (company_id, person_id, role) VALUES (@CompanyId, @PersonId, @role)"
                : "UPDATE bk_client_contacts SET role = @role WHERE company_id = @CompanyId AND person_id = @PersonId",
            new { contact.CompanyId, contact.PersonId, role }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(new AuditRecord(actor, "bookings.client.contact.set", Target(contact.CompanyId),
            before is null ? null : new { contact.PersonId, role = before }, new { contact.PersonId, person = person.Name, role }), cancellationToken);
    }

    public async Task RemoveContactAsync(long companyId, long personId, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var role = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT role FROM bk_client_contacts WHERE company_id = @companyId AND person_id = @personId",
            new { companyId, personId }, transaction, cancellationToken: cancellationToken));
        if (role is null)
            return;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM bk_client_contacts WHERE company_id = @companyId AND person_id = @personId",
            new { companyId, personId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(new AuditRecord(actor, "bookings.client.contact.removed", Target(companyId),
            new { personId, role }), cancellationToken);
    }

    public async Task<IReadOnlyList<ClientNote>> ListNotesAsync(long clientId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, long ClientId, string Author, string Body, DateTime CreatedUtc)>(new CommandDefinition(
            "SELECT id, client_id, author, body, created_utc FROM bk_client_notes WHERE client_id = @clientId ORDER BY created_utc DESC, id DESC",
            new { clientId }, cancellationToken: cancellationToken));
        return rows.Select(r => new ClientNote(r.Id, r.ClientId, r.Author, r.Body, AsUtc(r.CreatedUtc))).ToList();
    }

    public async Task<ClientNote> AddNoteAsync(long clientId, string body, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var text = rules.Note(body);
        var author = actor.Name.Length > 200 ? actor.Name[..200] : actor.Name;
        var now = Now();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await GetAsync(connection, transaction, clientId, cancellationToken) is null)
            throw new BookingValidationException(localizer["This client no longer exists."]);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO bk_client_notes (client_id, author, body, created_utc) VALUES (@clientId, @author, @text, @now) RETURNING id",
            new { clientId, author, text, now = database.Dialect.UtcValue(now) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(new AuditRecord(actor, "bookings.client.note.added", Target(clientId), After: new { noteId = id, body = text }), cancellationToken);
        return new ClientNote(id, clientId, author, text, now);
    }

    /// <summary>Every client, in name order (for exports).</summary>
    internal async Task<IReadOnlyList<Client>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Client>(new CommandDefinition(
            $"SELECT {Columns} FROM bk_clients ORDER BY LOWER(name), id", cancellationToken: cancellationToken));
        return rows.Select(c => Fix(c)!).ToList();
    }

    /// <summary>Ids of the non-archived clients with each (lower-cased) e-mail, for imports.</summary>
    internal static async Task<Dictionary<string, long>> ByEmailAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(long Id, string Email)>(new CommandDefinition(
            "SELECT id, LOWER(email) FROM bk_clients WHERE email IS NOT NULL AND archived = @no ORDER BY id",
            new { no = false }, transaction, cancellationToken: cancellationToken));
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, email) in rows)
            map.TryAdd(email, id);
        return map;
    }

    internal static async Task<Client?> GetAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken) =>
        Fix(await connection.QuerySingleOrDefaultAsync<Client>(new CommandDefinition(
            $"SELECT {Columns} FROM bk_clients WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)));

    private async Task<Client> InsertAsync(DbConnection connection, DbTransaction transaction, Client client, CancellationToken cancellationToken)
    {
        var parameters = Parameters(client);
        parameters.Add("created", database.Dialect.UtcValue(client.CreatedUtc));
        parameters.Add("userId", client.UserId);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO bk_clients (kind, name, artist_name, email, phone, street, postal_code, city, country, culture, currency, " +
            "default_deposit_percent, vip, user_id, archived, created_utc, updated_utc) VALUES (@Kind, @Name, @ArtistName, @Email, " +
            "@Phone, @Street, @PostalCode, @City, @Country, @Culture, @Currency, @DefaultDepositPercent, @Vip, @userId, @Archived, " +
            "@created, @updated) RETURNING id",
            parameters, transaction, cancellationToken: cancellationToken));
        return client with { Id = id };
    }

    private DynamicParameters Parameters(Client c)
    {
        var p = new DynamicParameters();
        p.Add("Id", c.Id);
        p.Add("Kind", c.Kind);
        p.Add("Name", c.Name);
        p.Add("ArtistName", c.ArtistName);
        p.Add("Email", c.Email);
        p.Add("Phone", c.Phone);
        p.Add("Street", c.Street);
        p.Add("PostalCode", c.PostalCode);
        p.Add("City", c.City);
        p.Add("Country", c.Country);
        p.Add("Culture", c.Culture);
        p.Add("Currency", c.Currency);
        p.Add("DefaultDepositPercent", c.DefaultDepositPercent);
        p.Add("Vip", c.Vip);
        p.Add("Archived", c.Archived);
        p.Add("updated", database.Dialect.UtcValue(c.UpdatedUtc));
        return p;
    }

    private static async Task<bool> HasContactsAsync(DbConnection connection, DbTransaction transaction, long id, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM bk_client_contacts WHERE company_id = @id OR person_id = @id", new { id }, transaction,
            cancellationToken: cancellationToken)) > 0;

    private static Client? Fix(Client? client) => client is null ? null : client with
    {
        CreatedUtc = AsUtc(client.CreatedUtc),
        UpdatedUtc = AsUtc(client.UpdatedUtc),
    };

    /// <summary>
    /// An instant read back as UTC: PostgreSQL gives UTC; SQLite's ISO-8601 text ending in Z is parsed into local
    /// time by the conversion Dapper uses, so it is turned back.
    /// </summary>
    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>Now, to the microsecond: what PostgreSQL keeps, so a record read back equals the one written.</summary>
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc);
    }

    internal static string Target(long id) => "client:" + id;

    /// <summary>What the audit keeps of a client: the whole record (no secrets in it).</summary>
    internal static object Snapshot(Client c) => new
    {
        c.Id, c.Kind, c.Name, c.ArtistName, c.Email, c.Phone, c.Street, c.PostalCode, c.City, c.Country, c.Culture,
        c.Currency, c.DefaultDepositPercent, c.Vip, c.UserId, c.Archived,
    };

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
