using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;
using Studio.Localization;
using Studio.Tenancy;

namespace Studio.Modules.Api.Services;

/// <summary>
/// The language of an API answer (its problem titles and details). API clients say which language they read with
/// <c>Accept-Language</c> only — they keep no language cookie and have no picker — so on the API's paths an
/// <c>Accept-Language</c> among the tenant's offered languages wins over the tenant's default language, which the
/// host's request-culture middleware (run first, for every request) chose. Without the header, or with only
/// languages the tenant does not offer, that choice stands.
/// </summary>
public sealed class ApiCulture(TenantContext tenant)
{
    private readonly IReadOnlyList<StudioLanguage> _offered = LocalizationSettings.From(tenant.Configuration).OfferedLanguages();

    /// <summary>Applies the client's language to the request, when it asks for an offered one.</summary>
    public void Apply(HttpContext context)
    {
        if (Resolve(context.Request.Headers.AcceptLanguage) is not { } culture)
            return;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        context.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(culture), provider: null));
        context.Response.Headers.ContentLanguage = culture.Name;
    }

    /// <summary>The best offered culture of an <c>Accept-Language</c> header, or null.</summary>
    public CultureInfo? Resolve(Microsoft.Extensions.Primitives.StringValues acceptLanguage)
    {
        if (acceptLanguage.Count == 0 || !StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var values))
            return null;
        foreach (var value in values.Where(v => v.Quality is null or > 0).OrderByDescending(v => v.Quality ?? 1).Take(10))
        {
            var tag = value.Value.Value;
            if (string.IsNullOrEmpty(tag) || tag == "*" || tag.Length > 20)
                continue;
            CultureInfo culture;
            try { culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true); }
            catch (CultureNotFoundException) { continue; }
            if (StudioLanguages.Of(culture) is not { } language || !_offered.Contains(language))
                continue;
            // "de-AT" keeps Austrian formats; a bare "de" gets the tenant's German if it is German, else de-DE.
            return culture.IsNeutralCulture ? StudioLanguages.CultureFor(language, tenant.Culture) : culture;
        }
        return null;
    }
}
