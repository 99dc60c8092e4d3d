using System.Data.Common;
using Studio.Host.Data;
using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.Host.Health;

/// <summary>
/// <c>GET /health</c>: the process is alive. <c>GET /health/ready</c>: the platform database answers, its
/// migrations are current, and how many tenants are in each state (503 while the database is unreachable;
/// it recovers by itself when the database returns). Both answer on every host name.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Answers the two health paths before tenant resolution.</summary>
    public static IApplicationBuilder UseStudioHealth(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (path.Equals("/health", StringComparison.OrdinalIgnoreCase))
            await Results.Json(new { status = "Healthy" }).ExecuteAsync(context);
        else if (path.Equals("/health/ready", StringComparison.OrdinalIgnoreCase))
            await ReadyAsync(context);
        else
            await next(context);
    });

    private static async Task ReadyAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var database = services.GetRequiredService<StudioDatabase>();
        var migrations = services.GetRequiredService<MigrationRunner>();
        var shells = services.GetRequiredService<ShellHost>();
        context.Response.Headers.CacheControl = "no-store";

        string? databaseError = null;
        IReadOnlyList<string> pending = [];
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            // WaitAsync: a server that accepts connections but never answers ignores the token inside Npgsql
            // (15 s connect timeout, longer for a pooled connection); the probe must answer within 5 s anyway.
            pending = await migrations.PendingPlatformAsync(database.Platform, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is DbException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            databaseError = "The platform database is unreachable.";
            // Pooled connections to a server that went away are dead; drop them so recovery is immediate.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        var tenants = shells.Table.ByName.Values;
        var ready = databaseError is null && pending.Count == 0;
        await Results.Json(new
        {
            status = ready ? "Ready" : "NotReady",
            database = new { engine = database.Dialect.ToString(), reachable = databaseError is null, error = databaseError },
            migrations = new { current = databaseError is null && pending.Count == 0, pending },
            tenants = new
            {
                total = tenants.Count(),
                active = shells.ActiveShells.Count(),
                byState = Enum.GetValues<TenantState>().ToDictionary(s => s.ToString(), s => tenants.Count(t => t.State == s)),
                failed = tenants.Where(t => t.Error is not null).Select(t => new { name = t.Name, error = t.Error }),
            },
            // Event deliveries given up after their last attempt, per tenant (as its dispatcher last counted); they
            // do not make the host unready, but need the operator.
            events = new { deadLetters = services.GetRequiredService<Events.EventDeadLetters>().Snapshot() },
        }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
    }
}
