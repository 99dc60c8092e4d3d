using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;
using Studio.Modules.Tenants.Pages;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Tenants;

/// <summary>
/// The tenants administration lives in the Default tenant only; its pages and the export download require an
/// operator. Its services are the host's (<see cref="ITenantAdministration"/>, <see cref="IResellerDirectory"/>).
/// </summary>
public sealed class Startup : FeatureStartup
{
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // The download of a tenant's full export (record and data), streamed.
        endpoints.MapGet(PlatformPaths.Tenants + "/{name}/export", async (HttpContext context, string name, [FromServices] ITenantAdministration tenants) =>
        {
            if (await tenants.GetAsync(name, context.RequestAborted) is null)
                return Results.NotFound();
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{stamp}.json\"";
            await tenants.ExportAsync(OperatorPage.ActorOf(context), name, context.Response.Body, context.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization(StudioPolicies.Operator);
    }
}
