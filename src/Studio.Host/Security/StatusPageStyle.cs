using System.Security.Cryptography;
using System.Text;

namespace Studio.Host.Security;

/// <summary>
/// The status pages' only styling, as one &lt;style&gt; element whose SHA-256 the Content-Security-Policy
/// allows. A style attribute could only be allowed with 'unsafe-inline' (or 'unsafe-hashes'); the status pages
/// answer before any tenant exists, so they cannot link a tenant's stylesheet either.
/// </summary>
public static class StatusPageStyle
{
    /// <summary>The CSS text, exactly as written inside the &lt;style&gt; element.</summary>
    public const string Css = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}";

    /// <summary>The CSP source expression for <see cref="Css"/> (without quotes).</summary>
    public static readonly string Hash = HashOf(Css);

    /// <summary>
    /// The CSP source expression for the style attribute <c>display:none</c> of the validation summary's hidden
    /// placeholder (written by ASP.NET Core, not by us).
    /// </summary>
    public static readonly string HiddenHash = HashOf("display:none");

    private static string HashOf(string css) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
}
