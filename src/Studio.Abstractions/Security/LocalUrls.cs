using Microsoft.AspNetCore.Http;

namespace Studio.Security;

/// <summary>
/// Return URLs that survive a round trip outside the page (an e-mail link, an identity provider's RelayState, an
/// OpenID Connect state): only paths of this site, never another host, and on a prefixed tenant only paths under
/// its own prefix — the way the cookie challenge writes them (prefix included).
/// </summary>
public static class LocalUrls
{
    /// <summary>Longest return URL kept.</summary>
    public const int MaxLength = 2000;

    /// <summary>True for a path of this host ("/x"), never "//host", "/\host", a scheme or a control character.</summary>
    public static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= MaxLength && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    /// <summary>
    /// Where to land after signing in: <paramref name="returnUrl"/> when it is a local path under the request's
    /// tenant prefix (<see cref="HttpRequest.PathBase"/>), else the tenant's home.
    /// </summary>
    public static string Landing(HttpRequest request, string? returnUrl)
    {
        var home = request.PathBase.Add("/").Value!;
        if (!IsLocalPath(returnUrl))
            return home;
        var pathBase = request.PathBase.Value;
        if (string.IsNullOrEmpty(pathBase))
            return returnUrl!;
        return returnUrl!.Equals(pathBase, StringComparison.OrdinalIgnoreCase)
            || returnUrl.StartsWith(pathBase + "/", StringComparison.OrdinalIgnoreCase)
            || returnUrl.StartsWith(pathBase + "?", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : home;
    }
}
