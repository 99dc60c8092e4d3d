using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Studio.Identity;
using Studio.Modules.Resellers.Pages;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Resellers;

/// <summary>
/// The reseller area lives in the Default tenant; every page and endpoint requires <see cref="StudioPolicies.Reseller"/>
/// (the role and the reseller claim) and acts as a <see cref="PlatformActor"/> confined to the claim's reseller, so the
/// host's <see cref="ITenantAdministration"/> refuses anything of another reseller.
/// </summary>
public sealed class Startup : FeatureStartup
{
    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // The download of one of the reseller's own tenants; another's (or an unknown name) is a 404 alike.
        endpoints.MapGet(ResellersFeature.Path + "/tenants/{name}/export", async (HttpContext context, string name, [FromServices] ITenantAdministration tenants) =>
        {
            var actor = ResellerPage.ActorOf(context);
            try
            {
                if (await tenants.GetAsync(actor, name, context.RequestAborted) is null)
                    return Results.NotFound();
            }
            catch (PlatformForbiddenException) { return Results.NotFound(); }
            var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{stamp}.json\"";
            await tenants.ExportAsync(actor, name, context.Response.Body, context.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization(StudioPolicies.Reseller);
    }
}
