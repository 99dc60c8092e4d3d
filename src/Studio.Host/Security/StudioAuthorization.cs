using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Studio.Identity;
using Studio.Host.Tenancy;

namespace Studio.Host.Security;

/// <summary>The host-wide authorization policies of <see cref="StudioPolicies"/>: role checks on the tenant's principal.</summary>
public static class StudioAuthorization
{
    /// <summary>Registers authorization with the <see cref="StudioPolicies"/> policies.</summary>
    public static IServiceCollection AddStudioAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(options =>
        {
            options.AddPolicy(StudioPolicies.Staff, p => p.RequireAuthenticatedUser().RequireRole(StudioRoles.Staff));
            // In the Default tenant (no studio roles there) the platform's operators are its administrators.
            options.AddPolicy(StudioPolicies.TenantAdmin, p => p.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.IsInRole(StudioRoles.Owner) || context.User.IsInRole(StudioRoles.Admin)
                || (context.User.IsInRole(StudioRoles.Operator) && OnDefaultTenant(context))));
            // Platform roles count only on the Default tenant (the store refuses them elsewhere; this is the second lock).
            options.AddPolicy(StudioPolicies.Operator, p => p.RequireAuthenticatedUser().RequireRole(StudioRoles.Operator).RequireAssertion(OnDefaultTenant));
            // A reseller acts only for the reseller its account is linked to: the role without that claim is nothing.
            options.AddPolicy(StudioPolicies.Reseller, p => p.RequireAuthenticatedUser().RequireRole(StudioRoles.Reseller)
                .RequireClaim(StudioClaims.Reseller).RequireAssertion(OnDefaultTenant));
        });

    private static bool OnDefaultTenant(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http ? http.GetTenant()?.IsDefault == true
        : context.Resource is Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext filter && filter.HttpContext.GetTenant()?.IsDefault == true;
}

/// <summary>
/// Everything under <c>/admin</c> — module pages and module endpoints alike — requires
/// <see cref="StudioPolicies.TenantAdmin"/>, so no admin page can be published unprotected by forgetting an attribute.
/// </summary>
public sealed class AdminAuthorization : IPageApplicationModelConvention
{
    private static readonly AuthorizeAttribute Policy = new(StudioPolicies.TenantAdmin);

    /// <summary>Whether a route template (with or without a leading slash) is in the admin area.</summary>
    public static bool IsAdmin(string? template)
    {
        var path = (template ?? "").TrimStart('~', '/');
        return path.Equals("admin", StringComparison.OrdinalIgnoreCase) || path.StartsWith("admin/", StringComparison.OrdinalIgnoreCase);
    }

    public void Apply(PageApplicationModel model)
    {
        if (IsAdmin(model.ActionDescriptor.AttributeRouteInfo?.Template) || IsAdmin(model.RouteTemplate))
            model.EndpointMetadata.Add(Policy);
    }

    /// <summary>Endpoint convention for module endpoints.</summary>
    public static void Apply(EndpointBuilder builder)
    {
        if (builder is RouteEndpointBuilder route && IsAdmin(route.RoutePattern.RawText))
            builder.Metadata.Add(Policy);
    }
}
