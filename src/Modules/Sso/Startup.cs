using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Sso;

/// <summary>Base SSO feature: provider store, settings, sign-in directory, SSO-only policy, admin pages.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        Services.Providers.ProviderServices.Add(services, tenant);

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => Services.Providers.ProviderServices.Map(endpoints);
}

/// <summary>SAML 2.0 service provider.</summary>
[ForFeature("Studio.Sso.Saml")]
public sealed class SamlStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        Services.Saml.SamlServices.Add(services, tenant);

    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) => Services.Saml.SamlServices.Configure(tenantApp, tenant);

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => Services.Saml.SamlServices.Map(endpoints);
}

/// <summary>OpenID Connect relying party.</summary>
[ForFeature("Studio.Sso.Oidc")]
public sealed class OidcStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        Services.Oidc.OidcServices.Add(services, tenant);

    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) => Services.Oidc.OidcServices.Configure(tenantApp, tenant);

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => Services.Oidc.OidcServices.Map(endpoints);
}
