using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Host.Tenancy;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>
/// Runs management-API work inside one tenant: after the visibility check of <see cref="ITenantAdministration"/>
/// (an operator sees every tenant, a reseller its own), a service of the tenant's own container runs in a scope of
/// it — its database, its secret protector, its audit trail — while a lease keeps the shell alive.
/// </summary>
public sealed class TenantScopes(ITenantAdministration administration, ShellHost shells, IStringLocalizer<TenantScopes> localizer)
{
    /// <summary>
    /// Runs <paramref name="work"/> with the tenant's <typeparamref name="TService"/>; <paramref name="absent"/> is the
    /// refusal when the tenant has no such service (its feature is off).
    /// </summary>
    public async Task<T> RunAsync<TService, T>(PlatformActor actor, string tenant, string absent, Func<TService, Task<T>> work,
        CancellationToken cancellationToken) where TService : class
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
            var service = scope.ServiceProvider.GetService<TService>() ?? throw new PlatformForbiddenException(absent);
            return await work(service);
        }
        finally
        {
            shell.Leave();
        }
    }
}
