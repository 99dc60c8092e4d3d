using System.Security.Cryptography;
using Dapper;
using Studio.Data;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Single-use, short-lived tokens for links sent by e-mail (magic sign-in, staff invitations). Only the SHA-256 of
/// a token is stored; redeeming marks it used in one conditional UPDATE, so a token works once even when two
/// requests race.
/// </summary>
public sealed class OneTimeLinks(ITenantDatabase database, TimeProvider clock)
{
    /// <summary>Purpose of a magic sign-in link.</summary>
    public const string MagicLink = "magic-link";

    /// <summary>Purpose of a staff invitation.</summary>
    public const string Invitation = "invitation";

    /// <summary>Issues a token for <paramref name="userId"/>, valid for <paramref name="lifetime"/>; returns the token (never stored).</summary>
    public async Task<string> IssueAsync(string purpose, string userId, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO identity_one_time_links (token_hash, purpose, user_id, expires_utc, used_utc, created_utc) VALUES (@hash, @purpose, @userId, @expires, NULL, @now)",
            new { hash = UserStore.Hash(token), purpose, userId, expires = database.Dialect.UtcValue(now + lifetime), now = database.Dialect.UtcValue(now) },
            cancellationToken: cancellationToken));
        return token;
    }

    /// <summary>The user a valid, unused token belongs to, without using it (to show a form), or null.</summary>
    public async Task<string?> PeekAsync(string purpose, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT user_id FROM identity_one_time_links WHERE token_hash = @hash AND purpose = @purpose AND used_utc IS NULL AND expires_utc > @now",
            new { hash = UserStore.Hash(token), purpose, now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime) }, cancellationToken: cancellationToken));
    }

    /// <summary>Uses a token: returns its user when it was valid and unused (it is now used), else null.</summary>
    public async Task<string?> RedeemAsync(string purpose, string? token, CancellationToken cancellationToken)
    {
        var userId = await PeekAsync(purpose, token, cancellationToken);
        if (userId is null)
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE identity_one_time_links SET used_utc = @now WHERE token_hash = @hash AND purpose = @purpose AND used_utc IS NULL",
            new { hash = UserStore.Hash(token!), purpose, now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime) }, cancellationToken: cancellationToken));
        return rows == 1 ? userId : null;
    }

    /// <summary>Voids every unused token of a user for a purpose (a new invitation replaces the old one).</summary>
    public async Task RevokeAsync(string purpose, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE identity_one_time_links SET used_utc = @now WHERE user_id = @userId AND purpose = @purpose AND used_utc IS NULL",
            new { userId, purpose, now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime) }, cancellationToken: cancellationToken));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
