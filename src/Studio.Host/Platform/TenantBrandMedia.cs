using Microsoft.Extensions.Localization;
using Studio.Host.Tenancy;
using Studio.Media;
using Studio.Platform;

namespace Studio.Host.Platform;

/// <summary>
/// Brand files of a named tenant for the platform's administration. The image is checked by the same
/// <see cref="MediaInspector"/> as the owner's upload, then stored by the tenant's own <see cref="IBrandMediaStore"/>
/// (resolved in a scope of that tenant's container, so it lands in that tenant's database and nowhere else).
/// Access follows <see cref="ITenantAdministration.GetAsync(PlatformActor,string,CancellationToken)"/>: a reseller
/// reaches only its own tenants.
/// </summary>
public sealed class TenantBrandMedia(ITenantAdministration administration, ShellHost shells, IStringLocalizer<TenantBrandMedia> localizer)
    : ITenantBrandMedia
{
    /// <inheritdoc />
    public async Task<string> StoreAsync(PlatformActor actor, string tenant, MediaKind kind, byte[] bytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _ = await administration.GetAsync(actor, tenant, cancellationToken)
            ?? throw new PlatformValidationException([localizer["There is no tenant '{0}'.", tenant]]);
        var (image, refusal) = MediaInspector.Inspect(bytes, kind);
        if (refusal is not null)
            throw new PlatformValidationException([$"{(kind == MediaKind.Logo ? localizer["Logo"] : localizer["Favicon"])}: {localizer[refusal.Message, refusal.Arguments]}"]);
        return await InTenantAsync(tenant, store => store.SaveAsync(kind, image!, bytes, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public async Task PruneAsync(PlatformActor actor, string tenant, CancellationToken cancellationToken = default)
    {
        var info = await administration.GetAsync(actor, tenant, cancellationToken)
            ?? throw new PlatformValidationException([localizer["There is no tenant '{0}'.", tenant]]);
        await InTenantAsync(tenant, async store =>
        {
            await store.PruneAsync(MediaKind.Logo, info.Brand.LogoUrl, cancellationToken);
            await store.PruneAsync(MediaKind.Favicon, info.Brand.FaviconUrl, cancellationToken);
            return true;
        }, cancellationToken);
    }

    private async Task<T> InTenantAsync<T>(string tenant, Func<IBrandMediaStore, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!shells.Table.ByName.TryGetValue(tenant, out var record))
            throw new PlatformValidationException([localizer["There is no tenant '{0}'.", tenant]]);
        TenantShell shell;
        try
        {
            shell = await shells.AcquireAsync(record, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Its data cannot be reached (a failed migration, a database that does not answer): say so, save nothing.
            throw new PlatformValidationException([localizer["The tenant '{0}' cannot be activated to store the file; see its error.", tenant]]);
        }
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetService<IBrandMediaStore>()
                ?? throw new PlatformValidationException([localizer["The tenant '{0}' cannot store brand files.", tenant]]);
            return await work(store);
        }
        finally
        {
            shell.Leave();
        }
    }
}
