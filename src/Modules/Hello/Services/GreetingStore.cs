using Dapper;
using Studio.Data;
using Studio.Hello;
using Studio.Modules.Hello.Data;

namespace Studio.Modules.Hello.Services;

/// <summary>
/// Reads and writes greetings in the current tenant's database — it can reach no other. Other modules see it only
/// as <see cref="IGuestBook"/>.
/// </summary>
public sealed class GreetingStore(ITenantDatabase database, TimeProvider clock) : IGuestBook
{
    /// <summary>Longest author name accepted.</summary>
    public const int MaxAuthor = 80;

    /// <summary>Longest message accepted.</summary>
    public const int MaxMessage = 500;

    public async Task<IReadOnlyList<Greeting>> ListAsync(int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // The instant as stored (text on SQLite): SQLite's date reader would turn it into server-local time.
        var rows = await connection.QueryAsync<(long Id, string Author, string Message, object CreatedUtc)>(new CommandDefinition(
            "SELECT id, author, message, created_utc FROM hello_greetings ORDER BY created_utc DESC, id DESC LIMIT @take",
            new { take }, cancellationToken: cancellationToken));
        return rows.Select(r => new Greeting(r.Id, r.Author, r.Message, StoredUtc.Read(r.CreatedUtc))).ToList();
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM hello_greetings", cancellationToken: cancellationToken));
    }

    public async Task<Greeting> AddAsync(string author, string message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(author) || author.Length > MaxAuthor)
            throw new ArgumentException($"The name must be 1–{MaxAuthor} characters.", nameof(author));
        if (string.IsNullOrWhiteSpace(message) || message.Length > MaxMessage)
            throw new ArgumentException($"The message must be 1–{MaxMessage} characters.", nameof(message));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO hello_greetings (author, message, created_utc) VALUES (@author, @message, @created) RETURNING id",
            new { author = author.Trim(), message = message.Trim(), created = database.Dialect.UtcValue(now) },
            cancellationToken: cancellationToken));
        return new Greeting(id, author.Trim(), message.Trim(), now);
    }
}
