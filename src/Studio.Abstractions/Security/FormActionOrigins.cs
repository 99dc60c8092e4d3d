using Microsoft.AspNetCore.Http;

namespace Studio.Security;

/// <summary>
/// The platform's Content-Security-Policy allows forms to post to the site itself only (<c>form-action 'self'</c>).
/// A response whose page must post a form to another origin — a SAML AuthnRequest over the HTTP-POST binding, posted
/// to the tenant's identity provider — names that origin here, and the host's security headers add it to
/// <c>form-action</c> for that one response. Nothing else is loosened.
/// </summary>
public static class FormActionOrigins
{
    private static readonly object Key = new();

    /// <summary>Allows this response's page to post a form to <paramref name="target"/>'s origin (http or https only).</summary>
    public static void Allow(HttpContext context, Uri target)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        if (!target.IsAbsoluteUri || (target.Scheme != Uri.UriSchemeHttps && target.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("Only an absolute http or https address can be a form target.", nameof(target));
        // Built from the parsed parts (scheme, punycode host, port): nothing of the original text reaches the header.
        var origin = $"{target.Scheme}://{target.IdnHost}{(target.IsDefaultPort ? "" : ":" + target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
        if (context.Items[Key] is not HashSet<string> origins)
            context.Items[Key] = origins = new HashSet<string>(StringComparer.Ordinal);
        origins.Add(origin);
    }

    /// <summary>The extra origins this response's page may post forms to (usually none).</summary>
    public static IReadOnlyCollection<string> For(HttpContext context) =>
        context.Items[Key] as HashSet<string> ?? (IReadOnlyCollection<string>)[];
}
