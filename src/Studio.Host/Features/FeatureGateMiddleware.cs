using Studio.Host.Tenancy;
using Studio.Modules;

namespace Studio.Host.Features;

/// <summary>
/// Runs after routing: a page or endpoint that belongs to a feature the tenant has not enabled answers 404, as if
/// it did not exist. Endpoints are shared by all tenants; only the set that answers differs.
/// </summary>
public sealed class FeatureGateMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null)
        {
            var required = endpoint.Metadata.GetOrderedMetadata<FeatureEndpointMetadata>();
            if (required.Count > 0)
            {
                var tenant = context.GetTenant();
                foreach (var feature in required)
                    if (tenant is null || !tenant.IsFeatureEnabled(feature.FeatureId))
                    {
                        // No body: the tenant's status-code page renders its themed "page not found".
                        context.SetEndpoint(null);
                        context.Response.StatusCode = StatusCodes.Status404NotFound;
                        return Task.CompletedTask;
                    }
            }
        }
        return next(context);
    }
}
