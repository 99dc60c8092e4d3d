using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Host.Tenancy;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>
/// The management API's way into a tenant's SSO configuration: after the visibility check of
/// <see cref="ITenantAdministration"/>, the tenant's own <see cref="ITenantSsoConfiguration"/> runs in a scope of that
/// tenant's container (its database, its secret protector, its audit trail), like <see cref="TenantBrandMedia"/>.
/// </summary>
public sealed class TenantSsoAdministration(ITenantAdministration administration, ShellHost shells, IStringLocalizer<TenantSsoAdministration> localizer)
    : ITenantSsoAdministration
{
    public async Task<T> RunAsync<T>(PlatformActor actor, string tenant, Func<ITenantSsoConfiguration, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        _ = await administration.GetAsync(actor, tenant, cancellationToken) ?? throw new PlatformForbiddenException(localizer["There is no tenant '{0}'.", tenant]);
        if (!shells.Table.ByName.TryGetValue(tenant, out var record))
            throw new PlatformForbiddenException(localizer["There is no tenant '{0}'.", tenant]);
        TenantShell shell;
        try
        {
            shell = await shells.AcquireAsync(record, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new PlatformValidationException([localizer["The tenant '{0}' cannot be activated; see its error.", tenant]]);
        }
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            var sso = scope.ServiceProvider.GetService<ITenantSsoConfiguration>()
                ?? throw new PlatformForbiddenException(localizer["The tenant '{0}' has no single sign-on.", tenant]);
            return await work(sso);
        }
        finally
        {
            shell.Leave();
        }
    }
}
