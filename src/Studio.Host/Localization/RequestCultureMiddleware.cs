using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Studio.Localization;
using Studio.Tenancy;

namespace Studio.Host.Localization;

/// <summary>
/// Picks the language and formats of a request on a tenant, first in the tenant's pipeline (so its error pages are
/// translated too): the visitor's own choice (the language cookie, which the picker and signing in set from the
/// account), else the tenant's default language — unless the tenant lets the browser's <c>Accept-Language</c> go
/// first — else the browser's language among those the tenant offers, else the tenant's default. On the API
/// (<c>/api/…</c>) the client's <c>Accept-Language</c> always goes first: it has no other way to choose.
/// </summary>
public sealed class RequestCultureMiddleware(RequestDelegate next, TenantContext tenant, TenantLanguages languages)
{
    private static readonly PathString ApiPath = "/api";

    // Fixed for the activation (the tenant's culture and languages change only by reloading it): worked out once.
    private readonly bool _defaultOffered = IsOffered(CultureInfo.GetCultureInfo(tenant.Culture), languages.Offered);
    private readonly CultureInfo _tenantDefault = IsOffered(CultureInfo.GetCultureInfo(tenant.Culture), languages.Offered)
        ? CultureInfo.GetCultureInfo(tenant.Culture)
        : StudioLanguages.CultureFor(languages.Offered[0], tenant.Culture);

    public Task InvokeAsync(HttpContext context)
    {
        var culture = Resolve(context);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        context.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(culture), provider: null));
        context.Response.Headers.ContentLanguage = culture.Name;
        return next(context);
    }

    /// <summary>The culture of this request on this tenant.</summary>
    public CultureInfo Resolve(HttpContext context)
    {
        var offered = languages.Offered;
        if (CultureCookie.Read(context, tenant) is { } chosen && IsOffered(chosen, offered))
            return chosen;
        // An API client has no picker: the Accept-Language it sends is its choice, and goes first.
        var browserFirst = languages.PreferBrowserLanguage || context.Request.Path.StartsWithSegments(ApiPath);
        if (!browserFirst && _defaultOffered)
            return _tenantDefault;
        return FromAcceptLanguage(context, offered) ?? _tenantDefault;
    }

    // "de-AT" keeps Austrian formats; a bare "de" gets the tenant's German if it is German, else de-DE.
    private CultureInfo? FromAcceptLanguage(HttpContext context, IReadOnlyList<StudioLanguage> offered) =>
        AcceptLanguage.Choose(context.Request, offered, language => StudioLanguages.CultureFor(language, tenant.Culture));

    private static bool IsOffered(CultureInfo culture, IReadOnlyList<StudioLanguage> offered) =>
        StudioLanguages.Of(culture) is { } language && offered.Contains(language);
}
