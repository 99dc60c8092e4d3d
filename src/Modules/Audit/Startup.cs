using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Modules.Audit.Services;
using Studio.Tenancy;

namespace Studio.Modules.Audit;

/// <summary>Per-tenant audit settings (tenant settings section "Audit").</summary>
public sealed class AuditSettings
{
    /// <summary>The settings section name.</summary>
    public const string Section = "Audit";

    /// <summary>Days an entry is kept; 0 keeps entries forever.</summary>
    public int RetentionDays { get; set; }
}

/// <summary>Actions the audit module records about itself.</summary>
public static class AuditActions
{
    /// <summary>The trail was exported (CSV).</summary>
    public const string Exported = "audit.exported";
}

/// <summary>Wires the audit trail into a tenant. Its routes are under /admin, which the host restricts to the tenant's owners and admins.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        services.Configure<AuditSettings>(tenant.Configuration.GetSection(AuditSettings.Section));
        services.AddSingleton<AuditChainGate>();
        services.AddScoped<AuditLog>();
        services.AddScoped<IAuditTrail>(sp => sp.GetRequiredService<AuditLog>());
        services.AddScoped<ITenantChangeObserver, AuditTenantChangeObserver>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/audit/api/entries", async ([FromServices] AuditLog log, string? actor, string? action,
            DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken cancellationToken) =>
        {
            var (entries, total) = await log.QueryAsync(new AuditQuery(actor, action, from, to, page ?? 1, pageSize ?? 50), cancellationToken);
            return Results.Ok(new { total, entries });
        });
        endpoints.MapGet("/admin/audit/api/verify", async ([FromServices] AuditLog log, CancellationToken cancellationToken) =>
        {
            var result = await log.VerifyAsync(cancellationToken);
            return Results.Ok(new { result.Valid, result.Checked, result.BrokenId, Break = result.Break?.ToString(), result.AnchorId });
        });
        endpoints.MapGet("/admin/audit/export.csv", async (HttpContext context, [FromServices] AuditLog log, string? actor, string? action,
            DateTimeOffset? from, DateTimeOffset? to) =>
        {
            // An export is a data export: it is recorded (before it is written, so it is in the trail it exports).
            await log.RecordAsync(new AuditRecord(AuditActor.FromPrincipal(context.User, AuditActor.Anonymous), AuditActions.Exported,
                After: new { actor, action, from, to }, Ip: context.Connection.RemoteIpAddress?.ToString(),
                UserAgent: context.Request.Headers.UserAgent.ToString()), context.RequestAborted);
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
            await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false));
            await AuditCsv.WriteAsync(writer, log.StreamAsync(new AuditQuery(actor, action, from, to), context.RequestAborted), context.RequestAborted);
        });
    }
}
