using Microsoft.Extensions.DependencyInjection;
using Studio.Tenancy;

namespace Studio.Modules.Domains;

/// <summary>
/// The domains page (/admin/domains). The work is the host's <see cref="Studio.Platform.ITenantDomains"/>, already
/// in every tenant container and bound to that tenant; this feature only adds the page.
/// </summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
    }
}
