using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>The management API's way into a tenant's SSO configuration (<see cref="ITenantSsoConfiguration"/>), through <see cref="TenantScopes"/>.</summary>
public sealed class TenantSsoAdministration(TenantScopes scopes, IStringLocalizer<TenantSsoAdministration> localizer) : ITenantSsoAdministration
{
    public Task<T> RunAsync<T>(PlatformActor actor, string tenant, Func<ITenantSsoConfiguration, Task<T>> work, CancellationToken cancellationToken = default) =>
        scopes.RunAsync(actor, tenant, localizer["The tenant '{0}' has no single sign-on.", tenant], work, cancellationToken);
}
