namespace Studio.Modules.Audit.Services;

/// <summary>One stored audit entry, as read back from the tenant's database.</summary>
public sealed record AuditEntry(long Id, string Tenant, long CreatedMs, string ActorId, string ActorName, string Action,
    string? Target, string? Ip, string? UserAgent, string? BeforeJson, string? AfterJson, string PrevHash, string Hash)
{
    /// <summary>The entry's time as a UTC instant.</summary>
    public DateTimeOffset CreatedUtc => DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs);
}

/// <summary>What verify found: <see cref="Valid"/>, or the first broken link and how it broke.</summary>
public sealed record AuditVerification(bool Valid, long Checked, long? BrokenId, AuditBreak? Break, long AnchorId);

/// <summary>How a chain broke.</summary>
public enum AuditBreak
{
    /// <summary>The entry's content no longer matches its hash: it was changed.</summary>
    Changed,
    /// <summary>The entry does not link to the one before it: an entry before it was deleted (or it was inserted).</summary>
    LinkBroken,
    /// <summary>The chain goes past the recorded head: entries were inserted at the end.</summary>
    Inserted,
    /// <summary>The chain ends before the recorded head: the last entries were deleted.</summary>
    TailDeleted,
}

/// <summary>Filters of the audit page, JSON endpoint and CSV export. Times are UTC; null means no bound.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, DateTimeOffset? FromUtc = null,
    DateTimeOffset? ToUtc = null, int Page = 1, int PageSize = 50);
