using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Http;
using Studio.Data;

namespace Studio.Modules.Api.Services;

/// <summary>
/// Idempotent POSTs (<c>Idempotency-Key</c> header). The first request claims the (API key, idempotency key) row —
/// an INSERT that only one of several simultaneous requests can win (primary key) — does the work and stores the
/// response; a retry with the same body gets that response again without the work; the same key with another body
/// is a 422; a retry while the first is still running is a 409. Entries expire after <see cref="Lifetime"/>.
/// Failures that are not answers (an exception, a 5xx) release the claim so the client can retry.
/// </summary>
public sealed class IdempotencyStore(ITenantDatabase database, TimeProvider clock)
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>How long a stored response is replayed.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public async Task<ApiResponse> RunAsync(HttpContext context, string keyId, byte[] body, Func<Task<ApiResponse>> operation)
    {
        var idempotencyKey = context.Request.Headers[HeaderName].ToString();
        var localizer = ApiProblems.Localizer(context);
        if (idempotencyKey.Length == 0)
            return await operation();
        if (idempotencyKey.Length > 200)
            return ApiProblems.Problem(context, 400, localizer["The Idempotency-Key header is longer than 200 characters."]);

        // The same key on another route with the same body is another request too.
        var target = System.Text.Encoding.UTF8.GetBytes($"{context.Request.Method} {context.Request.Path}\n");
        var hash = Convert.ToHexStringLower(SHA256.HashData([.. target, .. body]));
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var cancellationToken = context.RequestAborted;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            // Expired entries go first (this one, and now and then all), so an old key can be used again.
            var expired = now - (long)Lifetime.TotalMilliseconds;
            await connection.ExecuteAsync(new CommandDefinition(
                Random.Shared.Next(100) == 0
                    ? "DELETE FROM api_idempotency WHERE created_ms < @expired"
                    : "DELETE FROM api_idempotency WHERE key_id = @keyId AND idempotency_key = @idempotencyKey AND created_ms < @expired",
                new { keyId, idempotencyKey, expired }, cancellationToken: cancellationToken));
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO api_idempotency (key_id, idempotency_key, request_hash, created_ms) VALUES (@keyId, @idempotencyKey, @hash, @now) " +
                "ON CONFLICT (key_id, idempotency_key) DO NOTHING",
                new { keyId, idempotencyKey, hash, now }, cancellationToken: cancellationToken));
            if (claimed == 0)
            {
                var stored = await connection.QuerySingleOrDefaultAsync<Stored>(new CommandDefinition(
                    "SELECT request_hash AS RequestHash, status AS Status, response AS Response, content_type AS ContentType, location AS Location " +
                    "FROM api_idempotency WHERE key_id = @keyId AND idempotency_key = @idempotencyKey",
                    new { keyId, idempotencyKey }, cancellationToken: cancellationToken));
                if (stored is null)
                    return ApiProblems.Problem(context, 409, localizer["A request with this Idempotency-Key just finished or expired; retry."]);
                if (stored.RequestHash != hash)
                    return ApiProblems.Problem(context, 422,
                        localizer["This Idempotency-Key was used with a different request body. Use a new key for a new request."]);
                if (stored.Status is null)
                    return ApiProblems.Problem(context, 409, localizer["A request with this Idempotency-Key is still in progress; retry later."]);
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return new ApiResponse(stored.Status.Value, stored.Response, stored.ContentType ?? "application/json", stored.Location);
            }
        }

        ApiResponse response;
        try
        {
            response = await operation();
        }
        catch
        {
            await ReleaseAsync(keyId, idempotencyKey);
            throw;
        }
        if (response.Status >= 500)
        {
            await ReleaseAsync(keyId, idempotencyKey);
            return response;
        }
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_idempotency SET status = @Status, response = @Body, content_type = @ContentType, location = @Location " +
                "WHERE key_id = @keyId AND idempotency_key = @idempotencyKey",
                new { response.Status, response.Body, response.ContentType, response.Location, keyId, idempotencyKey }));
        return response;
    }

    private async Task ReleaseAsync(string keyId, string idempotencyKey)
    {
        // Not the request's token: the claim must go even when the client went away.
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM api_idempotency WHERE key_id = @keyId AND idempotency_key = @idempotencyKey", new { keyId, idempotencyKey }));
    }

    private sealed class Stored
    {
        public string RequestHash { get; set; } = "";
        public int? Status { get; set; }
        public string? Response { get; set; }
        public string? ContentType { get; set; }
        public string? Location { get; set; }
    }
}
