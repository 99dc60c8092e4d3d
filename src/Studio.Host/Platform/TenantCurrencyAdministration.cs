using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>The management API's way into a tenant's currency settings (<see cref="ITenantCurrencyConfiguration"/>), through <see cref="TenantScopes"/>.</summary>
public sealed class TenantCurrencyAdministration(TenantScopes scopes, IStringLocalizer<TenantCurrencyAdministration> localizer) : ITenantCurrencyAdministration
{
    public Task<T> RunAsync<T>(PlatformActor actor, string tenant, Func<ITenantCurrencyConfiguration, Task<T>> work, CancellationToken cancellationToken = default) =>
        scopes.RunAsync(actor, tenant, localizer["The tenant '{0}' does not use currencies.", tenant], work, cancellationToken);
}
