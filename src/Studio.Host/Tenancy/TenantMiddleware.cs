using Studio.Host.Data;
using Studio.Tenancy;

namespace Studio.Host.Tenancy;

/// <summary>
/// The host's front door: finds the request's tenant by host name then prefix, answers 404/503 when no running
/// tenant can serve it, moves the prefix into <c>PathBase</c>, and runs the rest of the request inside the
/// tenant's shell: its container as <c>RequestServices</c>, its own middleware, then the shared routing.
/// </summary>
public sealed class TenantMiddleware(RequestDelegate next, ShellHost shells, StatusPages pages, ILogger<TenantMiddleware> logger)
{
    /// <summary>Seconds a client is told to wait while a tenant is being set up.</summary>
    public const int RetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var tenant = shells.Resolve(TenantNames.NormalizeHost(request.Host.Host), request.Host.Port, request.Path.Value);
        if (tenant is null)
        {
            await pages.UnknownHostAsync(context);
            return;
        }

        switch (tenant.State)
        {
            case TenantState.Disabled:
                await pages.DisabledAsync(context);
                return;
            case TenantState.Initializing or TenantState.Uninitialized:
                await pages.StartingAsync(context, RetryAfterSeconds);
                return;
        }

        if (PrimaryHostRedirect.Location(tenant, request) is { } location)
        {
            // 301 as asked for pages; other methods get 308 so a form's POST is not turned into a GET.
            context.Response.StatusCode = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
                ? StatusCodes.Status301MovedPermanently
                : StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = location;
            return;
        }

        TenantShell shell;
        try
        {
            shell = await shells.AcquireAsync(tenant, context.RequestAborted);
        }
        catch (MigrationException)
        {
            await pages.DisabledAsync(context); // the failure is recorded on the tenant for the operator
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && TransientDatabaseErrors.IsTransient(e))
        {
            // The database cannot answer now (busy, connection lost, server restarting): nothing is wrong with the
            // tenant, so it is not disabled; the client is told to come back, and the next request activates again.
            TransientDatabaseErrors.ForgetBrokenConnections(e);
            logger.LogWarning(e, "Tenant {Tenant} could not be activated now, its database is unavailable; the next request tries again", tenant.Name);
            await pages.StartingAsync(context, RetryAfterSeconds);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Tenant {Tenant} could not be activated", tenant.Name);
            await pages.StartingAsync(context, RetryAfterSeconds);
            return;
        }

        var originalPathBase = request.PathBase;
        var originalPath = request.Path;
        var originalServices = context.RequestServices;
        try
        {
            if (tenant.Prefix is not null)
            {
                var prefix = "/" + tenant.Prefix;
                request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase, out var matched, out var remaining);
                request.PathBase = originalPathBase.Add(matched);
                request.Path = remaining;
            }

            context.Features.Set(new TenantFeature(shell));
            await using var scope = shell.Services.CreateAsyncScope();
            context.RequestServices = scope.ServiceProvider;
            TenantPipeline.SetContinuation(context, next);
            using (logger.BeginScope(shell.LogScope))
                await shell.Pipeline(context);
        }
        finally
        {
            context.RequestServices = originalServices;
            request.PathBase = originalPathBase;
            request.Path = originalPath;
            shell.Leave();
        }
    }
}
