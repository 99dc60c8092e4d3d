using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Hello;
using Studio.Host.Tenancy;
using Studio.Modules;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Tests.Probe;

/// <summary>What the probe endpoint reports: which tenant and which activation of it served the request.</summary>
public sealed record ProbeReport(string Tenant, long Generation, string Version, string PathBase, bool HasExtraService);

/// <summary>
/// Gates that hold probe requests in flight until a test opens them. Keys are random per test, so one static
/// table serves every host of the run.
/// </summary>
public static class ProbeGates
{
    private static readonly ConcurrentDictionary<string, Gate> Gates = new();

    public static Gate For(string key) => Gates.GetOrAdd(key, _ => new Gate());

    public sealed class Gate
    {
        private readonly TaskCompletionSource<TenantShell> _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes with the serving shell when a request is waiting at the gate.</summary>
        public Task<TenantShell> Entered => _entered.Task;

        public Task Opened => _open.Task;

        public void Enter(TenantShell shell) => _entered.TrySetResult(shell);

        public void Open() => _open.TrySetResult();
    }
}

/// <summary>Services a feature of the probe adds, so tests can see which features a container was built with.</summary>
public sealed class ProbeExtraService;

/// <summary>Startup of Tests.Probe.</summary>
public sealed class ProbeStartup : FeatureStartup
{
    /// <summary>Text carried by the probe's failures; it must never reach a response.</summary>
    public const string SecretDetail = "probe-secret-detail-7f3a";

    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        // A feature's own middleware failing: the tenant's error page must still answer.
        tenantApp.Use((context, next) => context.Request.Path == "/probe/middleware-throws"
            ? throw new InvalidOperationException("middleware failure " + SecretDetail)
            : next(context));

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/probe/throw", (HttpContext _) => Throw(new InvalidOperationException("endpoint failure " + SecretDetail)));
        // SQLITE_BUSY: the database is there but cannot answer now — the request may be tried again.
        endpoints.MapGet("/probe/db-busy", (HttpContext _) => Throw(new Microsoft.Data.Sqlite.SqliteException("database is locked " + SecretDetail, 5)));
        endpoints.MapGet("/probe/empty-400", () => Results.BadRequest());
        endpoints.MapGet("/probe/info", (HttpContext context) => Report(context));
        // Limited like a sign-in form would be: per tenant and client address.
        endpoints.MapPost("/probe/limited", (HttpContext context) => Report(context)).RequireStudioRateLimit(RateLimitPolicies.SignIn);
        endpoints.MapGet("/probe/wait/{key}", async (HttpContext context, string key) =>
        {
            var gate = ProbeGates.For(key);
            gate.Enter(context.Features.Get<TenantFeature>()!.Shell);
            await gate.Opened.WaitAsync(TimeSpan.FromSeconds(30));
            // Resolve from the (possibly released) container after the wait: it must still be alive.
            return Report(context);
        });
    }

    private static IResult Throw(Exception exception) => throw exception;

    private static IResult Report(HttpContext context)
    {
        var shell = context.Features.Get<TenantFeature>()!.Shell;
        var tenant = context.RequestServices.GetRequiredService<TenantContext>();
        _ = context.RequestServices.GetRequiredService<ITenantDatabase>();
        return Results.Json(new ProbeReport(tenant.Name, shell.Generation, tenant.Version, context.Request.PathBase.Value ?? "",
            context.RequestServices.GetService<ProbeExtraService>() is not null));
    }
}

/// <summary>Startup of Tests.Probe.Extra.</summary>
[ForFeature(ProbeFeatures.Extra)]
public sealed class ProbeExtraStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        services.AddSingleton<ProbeExtraService>();
}

/// <summary>
/// Exists only in tenants that have both the probe and the Hello guest book. It knows Hello only through Hello's
/// contract (<see cref="IGuestBook"/>, in Studio.Hello.Abstractions), never through the module's own classes.
/// </summary>
public sealed class ProbeHelloIntegration(IGuestBook guestBook)
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => guestBook.CountAsync(cancellationToken);
}

/// <summary>
/// An optional integration between two modules, wired the way the host intends: a startup of one feature that
/// also requires the other, using the other's contract and nothing else. It runs only on tenants with both.
/// </summary>
[ForFeature(ProbeFeatures.Probe)]
[RequireFeatures(HelloFeature.Id)]
public sealed class ProbeHelloStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        services.AddScoped<ProbeHelloIntegration>();

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/probe/with-hello", async ([Microsoft.AspNetCore.Mvc.FromServices] ProbeHelloIntegration integration, CancellationToken cancellationToken) =>
            Results.Json(new { greetings = await integration.CountAsync(cancellationToken) }));
}

/// <summary>A migration that always fails: its SQL names a table that does not exist.</summary>
[ForFeature(ProbeFeatures.BrokenMigration)]
public sealed class BrokenMigration : DataMigration
{
    public const string Table = "probe_never_created";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("probe_broken_first", t => t.Id());
        builder.Sql($"INSERT INTO {Table} (id) VALUES (1)");
    }
}

/// <summary>A migration whose own code fails (not its SQL): an exception type the host has no special case for.</summary>
[ForFeature(ProbeFeatures.ThrowingMigration)]
public sealed class ThrowingMigration : DataMigration
{
    public const string Message = "probe migration needs a column type this engine lacks";

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("probe_throwing_first", t => t.Id());
        throw new NotSupportedException(Message);
    }
}

/// <summary>
/// A migration that meets a transient database error (SQLite busy; PostgreSQL connection lost) while
/// <see cref="Failures"/> is above zero, and then succeeds. Only tests that set it use its feature.
/// </summary>
[ForFeature(ProbeFeatures.FlakyMigration)]
public sealed class FlakyMigration : DataMigration
{
    private static int _failures;

    /// <summary>How many more runs fail.</summary>
    public static int Failures
    {
        get => Volatile.Read(ref _failures);
        set => Volatile.Write(ref _failures, value);
    }

    public override int Version => 1;

    public override void Up(MigrationBuilder builder)
    {
        builder.CreateTable("probe_flaky", t => t.Id());
        if (Interlocked.Decrement(ref _failures) < 0)
        {
            Interlocked.Increment(ref _failures);
            return;
        }
        throw builder.Dialect == SqlDialect.Postgres
            ? new Npgsql.NpgsqlException("Exception while reading from stream", new System.IO.IOException("Connection reset by peer"))
            : new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);
    }
}
