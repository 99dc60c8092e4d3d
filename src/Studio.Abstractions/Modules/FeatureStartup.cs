using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules;

/// <summary>
/// The startup of one feature. The host finds every non-abstract subclass in a module assembly. Which feature
/// it belongs to is given by <see cref="ForFeatureAttribute"/> (default: the module's first feature), and
/// <see cref="RequireFeaturesAttribute"/> adds further features that must all be enabled for it to run — the way
/// optional integrations between modules are wired.
/// </summary>
public abstract class FeatureStartup
{
    /// <summary>Lower runs first; ties keep dependency order.</summary>
    public virtual int Order => 0;

    /// <summary>Adds the feature's services to a tenant's container. Runs once per tenant activation.</summary>
    public virtual void ConfigureServices(IServiceCollection services, TenantContext tenant) { }

    /// <summary>Adds middleware to a tenant's own pipeline. Runs once per tenant activation.</summary>
    public virtual void Configure(IApplicationBuilder tenantApp, TenantContext tenant) { }

    /// <summary>
    /// Maps the feature's endpoints. Runs once for the whole host: endpoints are shared by all tenants and the
    /// host answers 404 for them on tenants where the feature is disabled.
    /// </summary>
    public virtual void MapEndpoints(IEndpointRouteBuilder endpoints) { }
}

/// <summary>Names the feature a <see cref="FeatureStartup"/>, page model or migration belongs to.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ForFeatureAttribute(string featureId) : Attribute
{
    /// <summary>The owning feature id.</summary>
    public string FeatureId { get; } = featureId;
}

/// <summary>
/// Extra features that must all be enabled before a startup runs. Use it for integrations: a startup
/// owned by SMS that also requires Bookings runs only on tenants with both.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequireFeaturesAttribute(params string[] featureIds) : Attribute
{
    /// <summary>Feature ids that must all be enabled.</summary>
    public IReadOnlyList<string> FeatureIds { get; } = featureIds;
}
