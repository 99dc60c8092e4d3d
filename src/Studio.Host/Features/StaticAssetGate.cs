using System.Collections.Frozen;
using Studio.Host.Modules;
using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.Host.Features;

/// <summary>
/// Which tenants may fetch a module's or a theme's static assets (<c>~/_content/{assembly}/...</c>). Static files run
/// before routing, so <see cref="FeatureGateMiddleware"/> never sees them: without this a tenant without Bookings would
/// still serve Bookings' stylesheets. A module's assets answer where one of its features is enabled (always-enabled
/// features count, as they are in the tenant's enabled set); a theme's where it is the tenant's theme or one of its
/// base themes — a plan may restrict themes, so a theme's files follow the same rule as its layout. Paths under
/// <c>_content</c> that belong to no module or theme are left alone. Built once from the catalogue; a check does a
/// span lookup in a frozen dictionary and allocates nothing.
/// </summary>
public sealed class StaticAssetGate
{
    private const string ContentFolder = "_content/";

    private readonly FrozenDictionary<string, AssetOwner> _owners;
    private readonly FrozenDictionary<string, AssetOwner>.AlternateLookup<ReadOnlySpan<char>> _ownersByName;

    /// <summary>Maps every module's and theme's assembly name to the features or themes its assets follow.</summary>
    public StaticAssetGate(FeatureCatalog catalog)
    {
        var owners = new Dictionary<string, AssetOwner>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in catalog.Modules)
            if (module.Assembly?.GetName().Name is { } name)
                owners[name] = new AssetOwner(module.Features.Select(f => f.Id).ToArray(), FrozenSet<string>.Empty);
        foreach (var theme in catalog.Themes)
            if (theme.Assembly?.GetName().Name is { } name)
                owners[name] = new AssetOwner([], catalog.Themes
                    .Where(t => catalog.ThemeChain(t.Id).Contains(theme.Id, StringComparer.OrdinalIgnoreCase))
                    .Select(t => t.Id)
                    .ToFrozenSet(StringComparer.OrdinalIgnoreCase));
        // Case-insensitive: a file provider that matches names loosely must not let "/_content/studio.modules.x/" by.
        _owners = owners.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _ownersByName = _owners.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>True unless <paramref name="path"/> is an asset of a module or theme that is not the tenant's.</summary>
    public bool Allows(PathString path, TenantContext? tenant)
    {
        var rest = path.Value.AsSpan().TrimStart('/');
        if (!rest.StartsWith(ContentFolder, StringComparison.OrdinalIgnoreCase))
            return true;
        rest = rest[ContentFolder.Length..].TrimStart('/');
        var end = rest.IndexOf('/');
        if (!_ownersByName.TryGetValue(end < 0 ? rest : rest[..end], out var owner))
            return true;
        return tenant is not null && owner.IsFor(tenant);
    }

    private sealed class AssetOwner(string[] features, FrozenSet<string> themes)
    {
        public bool IsFor(TenantContext tenant)
        {
            foreach (var feature in features)
                if (tenant.IsFeatureEnabled(feature))
                    return true;
            return themes.Contains(tenant.Theme);
        }
    }
}

/// <summary>Answers 404 for a module's or theme's static asset the request's tenant does not have (see <see cref="StaticAssetGate"/>).</summary>
public sealed class StaticAssetGateMiddleware(RequestDelegate next, StaticAssetGate gate)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (gate.Allows(context.Request.Path, context.GetTenant()))
            return next(context);
        // No body, as for a page of a feature the tenant lacks: its status-code page renders the themed 404.
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
