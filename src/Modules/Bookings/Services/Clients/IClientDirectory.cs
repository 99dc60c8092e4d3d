using Studio.Audit;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Clients;

/// <summary>The studio's clients (CRM), scoped in the tenant container. Writes validate and are audited.</summary>
public interface IClientDirectory
{
    Task<Client?> GetAsync(long id, CancellationToken cancellationToken = default);
    /// <summary>The client record linked to a portal account.</summary>
    Task<Client?> FindByUserAsync(string userId, CancellationToken cancellationToken = default);
    /// <summary>
    /// The client record of a signed-in portal account: the linked one; else an unlinked record with the same
    /// confirmed e-mail is linked; else a new person record is created and linked. The account's language
    /// (<paramref name="culture"/>, when given) becomes the linked record's, so booking mail follows the account holder's choice.
    /// </summary>
    Task<Client> EnsureForUserAsync(string userId, string email, string name, string? culture, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>Search by name, artist name, e-mail or phone; paged (page from 1).</summary>
    Task<ClientPage> SearchAsync(string? text, string? kind, int page, int pageSize, CancellationToken cancellationToken = default);
    /// <summary>Creates (Id 0) or updates a client.</summary>
    Task<Client> SaveAsync(Client client, AuditActor actor, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ClientContact>> ListContactsAsync(long companyId, CancellationToken cancellationToken = default);
    Task SetContactAsync(ClientContact contact, AuditActor actor, CancellationToken cancellationToken = default);
    Task RemoveContactAsync(long companyId, long personId, AuditActor actor, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ClientNote>> ListNotesAsync(long clientId, CancellationToken cancellationToken = default);
    Task<ClientNote> AddNoteAsync(long clientId, string body, AuditActor actor, CancellationToken cancellationToken = default);
}

/// <summary>One page of clients.</summary>
public sealed record ClientPage(IReadOnlyList<Client> Items, int Page, int PageSize, int Total);
