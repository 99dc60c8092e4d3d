using Dapper;
using Studio.Data;

namespace Studio.Modules.TwoFactor.Data;

/// <summary>Records the last accepted time step per user, atomically, in the tenant's own database.</summary>
public sealed class TotpStepStore(ITenantDatabase database, TimeProvider clock)
{
    internal const string Table = "twofactor_steps";

    /// <summary>
    /// Claims <paramref name="step"/> for the user: true when it is later than every step accepted before, false
    /// when it (or a later one) was already used. One conditional UPDATE decides, so of two concurrent submissions
    /// of the same code exactly one wins.
    /// </summary>
    public async Task<bool> TryClaimAsync(string userId, long step, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var now = database.Dialect.UtcValue(clock.GetUtcNow().UtcDateTime);
        // The row exists before the race: inserting it is idempotent and never claims anything by itself.
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {Table} (user_id, last_step, updated_utc) VALUES (@userId, -1, @now) ON CONFLICT (user_id) DO NOTHING",
            new { userId, now }, cancellationToken: cancellationToken));
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {Table} SET last_step = @step, updated_utc = @now WHERE user_id = @userId AND last_step < @step",
            new { userId, step, now }, cancellationToken: cancellationToken));
        return claimed == 1;
    }

    /// <summary>The last accepted step, or null when none.</summary>
    public async Task<long?> LastStepAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var step = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT last_step FROM {Table} WHERE user_id = @userId", new { userId }, cancellationToken: cancellationToken));
        return step is null or < 0 ? null : step;
    }
}
