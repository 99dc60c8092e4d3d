using System.Globalization;
using Microsoft.Net.Http.Headers;
using Studio.Localization;

namespace Studio.Host.Localization;

/// <summary>The one reader of a request's <c>Accept-Language</c> (tenant pages, the API, the host's status pages).</summary>
public static class AcceptLanguage
{
    /// <summary>
    /// The first of the browser's languages, by quality, that is among <paramref name="offered"/>; null when none is.
    /// A tag with a region (<c>de-AT</c>) keeps it; a bare language (<c>de</c>) becomes <paramref name="neutral"/>'s
    /// culture for it. At most ten entries are looked at, and odd tags are skipped.
    /// </summary>
    public static CultureInfo? Choose(HttpRequest request, IReadOnlyList<StudioLanguage> offered, Func<StudioLanguage, CultureInfo> neutral)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var values))
            return null;
        foreach (var value in values.Where(v => v.Quality is null or > 0).OrderByDescending(v => v.Quality ?? 1).Take(10))
        {
            var tag = value.Value.Value;
            if (string.IsNullOrEmpty(tag) || tag == "*" || tag.Length > 20)
                continue;
            CultureInfo culture;
            try { culture = CultureInfo.GetCultureInfo(tag, predefinedOnly: true); }
            catch (CultureNotFoundException) { continue; }
            if (StudioLanguages.Of(culture) is not { } language || !offered.Contains(language))
                continue;
            return culture.IsNeutralCulture ? neutral(language) : culture;
        }
        return null;
    }
}
