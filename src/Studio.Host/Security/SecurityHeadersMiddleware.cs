namespace Studio.Host.Security;

/// <summary>
/// Adds the platform's security headers to every response — tenant pages, the host's status pages, static files,
/// health — so no module has to remember them. Runs first in the pipeline; headers are set when the response
/// starts, so whatever answers later (a status page, the exception handler) still carries them.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>
    /// Scripts, styles and everything else only from the site itself. No 'unsafe-inline' anywhere: the themes
    /// serve their CSS as files, and the host's status pages carry their one small &lt;style&gt; element, allowed
    /// by its hash alone (<see cref="StatusPageStyle"/>). One style attribute is allowed, by hash only:
    /// <c>display:none</c>, which ASP.NET Core's validation summary writes on its hidden placeholder item in every
    /// form without errors ('unsafe-hashes' applies to listed hashes only, never to other inline styles). Data URIs
    /// are allowed for images (the status pages' empty favicon).
    /// </summary>
    public static readonly string ContentSecurityPolicy = Policy("'self'");

    /// <summary>
    /// The policy with <paramref name="formAction"/> as its form-action sources: <c>'self'</c>, plus the origins a
    /// response named through <see cref="Studio.Security.FormActionOrigins"/> (a SAML HTTP-POST to the tenant's IdP).
    /// </summary>
    private static string Policy(string formAction) =>
        "default-src 'self'; script-src 'self'; " +
        $"style-src 'self' '{StatusPageStyle.Hash}' 'unsafe-hashes' '{StatusPageStyle.HiddenHash}'; " +
        $"img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action {formAction}; base-uri 'self'; " +
        "object-src 'none'; frame-ancestors 'none'";

    /// <summary>One year, the usual preload-eligible value.</summary>
    private const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            // A response may carry a policy of its own (brand media: nothing may run at all); browsers enforce every
            // policy they get, so one added here can only tighten the platform's, never loosen it.
            var formTargets = Studio.Security.FormActionOrigins.For(http);
            var policy = formTargets.Count == 0 ? ContentSecurityPolicy : Policy("'self' " + string.Join(' ', formTargets));
            headers.ContentSecurityPolicy = Microsoft.Extensions.Primitives.StringValues.Concat(policy, headers.ContentSecurityPolicy);
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            // Over plain HTTP the header is meaningless and would pin a development host name to HTTPS.
            if (http.Request.IsHttps)
                headers.StrictTransportSecurity = StrictTransportSecurity;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
