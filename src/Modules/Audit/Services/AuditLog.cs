using System.Data.Common;
using System.Text;
using Dapper;
using Studio.Audit;
using Studio.Data;
using Studio.Tenancy;
using Microsoft.Extensions.Options;

namespace Studio.Modules.Audit.Services;

/// <summary>
/// Serialises appends within this process: the database lock alone would do, but waiting on a semaphore is
/// cheaper than SQLite's busy-retry loop. One instance per tenant container.
/// </summary>
public sealed class AuditChainGate : IDisposable
{
    private long _nextRetentionRunMs = long.MinValue;

    internal SemaphoreSlim Semaphore { get; } = new(1, 1);

    /// <summary>
    /// Claims the retention run when it is due (first use in this activation, then at most daily); only one caller
    /// wins each run.
    /// </summary>
    internal bool TryClaimRetentionRun(long nowMs)
    {
        var next = Interlocked.Read(ref _nextRetentionRunMs);
        return nowMs >= next &&
            Interlocked.CompareExchange(ref _nextRetentionRunMs, nowMs + (long)TimeSpan.FromDays(1).TotalMilliseconds, next) == next;
    }

    public void Dispose() => Semaphore.Dispose();
}

/// <summary>
/// The tenant's hash-chained audit log: append, query, verify and prune. Tenants are activated lazily, so there
/// is no host-wide schedule: retention (setting "Audit:RetentionDays") is applied on the log's first use in an
/// activation and then at most once a day while the tenant stays active.
/// </summary>
public sealed class AuditLog(ITenantDatabase database, TenantContext tenant, TimeProvider clock, AuditChainGate gate,
    IOptions<AuditSettings> settings) : IAuditTrail
{
    private const string Columns = "id AS Id, tenant AS Tenant, created_ms AS CreatedMs, actor_id AS ActorId, actor_name AS ActorName, " +
        "action AS Action, target AS Target, ip AS Ip, user_agent AS UserAgent, before_json AS BeforeJson, after_json AS AfterJson, " +
        "prev_hash AS PrevHash, hash AS Hash";

    /// <inheritdoc />
    public async Task<long> RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action);
        var before = AuditMasking.ToMaskedJson(record.Before);
        var after = AuditMasking.ToMaskedJson(record.After);
        await ApplyRetentionAsync(cancellationToken);
        await gate.Semaphore.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await LockedTransactionAsync(connection, cancellationToken);
            var head = await connection.QuerySingleAsync<(long HeadId, string HeadHash)>(new CommandDefinition(
                "SELECT head_id, head_hash FROM audit_chain WHERE id = 1", transaction: transaction, cancellationToken: cancellationToken));
            var createdMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var hash = AuditHasher.Compute(tenant.Name, createdMs, record.Actor.Id, record.Actor.Name, record.Action,
                record.Target, record.Ip, Truncate(record.UserAgent, 512), before, after, head.HeadHash);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO audit_entries (tenant, created_ms, actor_id, actor_name, action, target, ip, user_agent, before_json, after_json, prev_hash, hash) " +
                "VALUES (@tenant, @createdMs, @actorId, @actorName, @action, @target, @ip, @userAgent, @before, @after, @prev, @hash) RETURNING id",
                new
                {
                    tenant = tenant.Name, createdMs, actorId = record.Actor.Id, actorName = record.Actor.Name, action = record.Action,
                    target = record.Target, ip = record.Ip, userAgent = Truncate(record.UserAgent, 512), before, after,
                    prev = head.HeadHash, hash,
                },
                transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE audit_chain SET head_id = @id, head_hash = @hash WHERE id = 1", new { id, hash }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return id;
        }
        finally { gate.Semaphore.Release(); }
    }

    /// <summary>One page of entries matching the filters, newest first, and the total count.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, long Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await ApplyRetentionAsync(cancellationToken);
        var (where, parameters) = Filter(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 500);
        var page = Math.Max(1, query.Page);
        parameters.Add("take", pageSize);
        parameters.Add("skip", (page - 1) * pageSize);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM audit_entries{where}", parameters, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<AuditEntry>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_entries{where} ORDER BY id DESC LIMIT @take OFFSET @skip", parameters, cancellationToken: cancellationToken));
        return (rows.ToList(), total);
    }

    /// <summary>Every entry matching the filters, oldest first (for export).</summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(query);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {Columns} FROM audit_entries{where} ORDER BY id", parameters, cancellationToken: cancellationToken));
        var parser = reader.GetRowParser<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
            yield return parser(reader);
    }

    /// <summary>
    /// Walks the chain from the anchor (the last pruned entry, or the start) to the head and reports the first
    /// broken link: a changed entry, a link to a missing predecessor, entries past the head, or a missing tail.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var chain = await connection.QuerySingleAsync<(long AnchorId, string AnchorHash, long HeadId, string HeadHash)>(new CommandDefinition(
            "SELECT anchor_id, anchor_hash, head_id, head_hash FROM audit_chain WHERE id = 1", cancellationToken: cancellationToken));
        var expectedPrev = chain.AnchorHash;
        long checkedCount = 0, lastId = chain.AnchorId;
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {Columns} FROM audit_entries ORDER BY id", cancellationToken: cancellationToken)))
        {
            var parser = reader.GetRowParser<AuditEntry>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var entry = parser(reader);
                if (entry.Id > chain.HeadId)
                    return new(false, checkedCount, entry.Id, AuditBreak.Inserted, chain.AnchorId);
                if (!string.Equals(AuditHasher.Compute(entry), entry.Hash, StringComparison.Ordinal))
                    return new(false, checkedCount, entry.Id, AuditBreak.Changed, chain.AnchorId);
                if (!string.Equals(entry.PrevHash, expectedPrev, StringComparison.Ordinal))
                    return new(false, checkedCount, entry.Id, AuditBreak.LinkBroken, chain.AnchorId);
                expectedPrev = entry.Hash;
                lastId = entry.Id;
                checkedCount++;
            }
        }
        if (lastId != chain.HeadId || !string.Equals(expectedPrev, chain.HeadHash, StringComparison.Ordinal))
            return new(false, checkedCount, chain.HeadId, AuditBreak.TailDeleted, chain.AnchorId);
        return new(true, checkedCount, null, null, chain.AnchorId);
    }

    /// <summary>
    /// Deletes entries older than <paramref name="retentionDays"/> days. The hash of the last deleted entry
    /// becomes the anchor, so verify still checks the remaining chain from where it now starts. Returns the count.
    /// </summary>
    public async Task<int> PruneAsync(int retentionDays, CancellationToken cancellationToken)
    {
        if (retentionDays <= 0)
            return 0; // 0 = keep forever
        var cutoff = clock.GetUtcNow().AddDays(-retentionDays).ToUnixTimeMilliseconds();
        await gate.Semaphore.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await LockedTransactionAsync(connection, cancellationToken);
            var last = await connection.QueryFirstOrDefaultAsync<(long Id, string Hash)?>(new CommandDefinition(
                "SELECT id, hash FROM audit_entries WHERE created_ms < @cutoff ORDER BY id DESC LIMIT 1",
                new { cutoff }, transaction, cancellationToken: cancellationToken));
            if (last is not { } anchor)
                return 0;
            // By id, not by time: the chain order is the id order, and the anchor must be a whole prefix of it.
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM audit_entries WHERE id <= @id", new { id = anchor.Id }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE audit_chain SET anchor_id = @id, anchor_hash = @hash WHERE id = 1", new { id = anchor.Id, hash = anchor.Hash },
                transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return deleted;
        }
        finally { gate.Semaphore.Release(); }
    }

    private async Task ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        var days = settings.Value.RetentionDays;
        if (days > 0 && gate.TryClaimRetentionRun(clock.GetUtcNow().ToUnixTimeMilliseconds()))
            await PruneAsync(days, cancellationToken);
    }

    private async Task<DbTransaction> LockedTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // SQLite: BeginTransaction is BEGIN IMMEDIATE, which takes the database's write lock at once.
        // PostgreSQL: a transaction advisory lock per tenant schema, so two host instances never fork the chain.
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Dialect == SqlDialect.Postgres)
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(hashtext('studio_audit:' || current_schema()))", transaction: transaction, cancellationToken: cancellationToken));
        return transaction;
    }

    private static (string Where, DynamicParameters Parameters) Filter(AuditQuery query)
    {
        var clauses = new List<string>();
        var parameters = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            clauses.Add("(actor_id = @actor OR actor_name = @actor)");
            parameters.Add("actor", query.Actor.Trim());
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            clauses.Add("action = @action");
            parameters.Add("action", query.Action.Trim());
        }
        if (query.FromUtc is { } from)
        {
            clauses.Add("created_ms >= @from");
            parameters.Add("from", from.ToUnixTimeMilliseconds());
        }
        if (query.ToUtc is { } to)
        {
            clauses.Add("created_ms < @to");
            parameters.Add("to", to.ToUnixTimeMilliseconds());
        }
        return (clauses.Count == 0 ? "" : " WHERE " + string.Join(" AND ", clauses), parameters);
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
