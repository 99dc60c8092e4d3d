using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Host.Tenancy;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>
/// The management API's way into a tenant's currency settings: after the visibility check of
/// <see cref="ITenantAdministration"/>, the tenant's own <see cref="ITenantCurrencyConfiguration"/> runs in a scope of that
/// tenant's container (its database, its audit trail), like <see cref="TenantBrandMedia"/>.
/// </summary>
public sealed class TenantCurrencyAdministration(ITenantAdministration administration, ShellHost shells, IStringLocalizer<TenantCurrencyAdministration> localizer)
    : ITenantCurrencyAdministration
{
    public async Task<T> RunAsync<T>(PlatformActor actor, string tenant, Func<ITenantCurrencyConfiguration, Task<T>> work, CancellationToken cancellationToken = default)
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
            var currencies = scope.ServiceProvider.GetService<ITenantCurrencyConfiguration>()
                ?? throw new PlatformForbiddenException(localizer["The tenant '{0}' does not use currencies.", tenant]);
            return await work(currencies);
        }
        finally
        {
            shell.Leave();
        }
    }
}
