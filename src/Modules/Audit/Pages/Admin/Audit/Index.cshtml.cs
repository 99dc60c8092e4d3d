using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Studio.Modules.Audit.Services;
using Studio.Tenancy;

namespace Studio.Modules.Audit.Pages.Admin.Audit;

/// <summary>
/// The tenant's audit trail: filters, paging, CSV export and chain verification. There is no authentication yet;
/// issue 3's identity will restrict it to the tenant's admins (and the operator's audited admin actions).
/// </summary>
public sealed class IndexModel(AuditLog log, TenantContext tenant) : PageModel
{
    /// <summary>Rows per page.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? ActionCode { get; set; }
    /// <summary>First day shown, a calendar date in the tenant's time zone.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    /// <summary>Last day shown (inclusive), a calendar date in the tenant's time zone.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(Name = "p", SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public bool Verify { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public long Total { get; private set; }
    public int PageCount => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);
    public AuditVerification? Verification { get; private set; }
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>The filters as query values, for the paging and export links (dates already in UTC for export).</summary>
    public Dictionary<string, string?> Filters => new()
    {
        ["actor"] = Actor, ["actionCode"] = ActionCode,
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public Dictionary<string, string?> ExportQuery => new()
    {
        ["actor"] = Actor, ["action"] = ActionCode,
        ["from"] = ToUtc(From)?.ToString("O", CultureInfo.InvariantCulture),
        ["to"] = ToUtc(To?.AddDays(1))?.ToString("O", CultureInfo.InvariantCulture),
    };

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Zone = FindZone(tenant.TimeZone);
        PageNumber = Math.Max(1, PageNumber);
        var query = new AuditQuery(Actor, ActionCode, ToUtc(From), ToUtc(To?.AddDays(1)), PageNumber, PageSize);
        (Entries, Total) = await log.QueryAsync(query, cancellationToken);
        if (Verify)
            Verification = await log.VerifyAsync(cancellationToken);
    }

    /// <summary>An entry's time in the tenant's time zone.</summary>
    public DateTimeOffset Local(AuditEntry entry) => TimeZoneInfo.ConvertTime(entry.CreatedUtc, Zone);

    private DateTimeOffset? ToUtc(DateOnly? day)
    {
        if (day is not { } d)
            return null;
        var zone = FindZone(tenant.TimeZone);
        var local = d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
