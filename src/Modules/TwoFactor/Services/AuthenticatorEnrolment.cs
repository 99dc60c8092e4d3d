using System.Text;
using QRCoder;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>What an authenticator app needs to enrol: the otpauth:// URI (as a QR code) and the key to type by hand.</summary>
public sealed record AuthenticatorEnrolment(string Uri, string ManualKey, string QrSvg)
{
    /// <summary>
    /// Builds the enrolment of <paramref name="account"/> (the user's e-mail) at <paramref name="issuer"/> (the
    /// tenant's brand name), following Google's Key Uri Format: label "issuer:account", and the issuer again as a
    /// parameter for apps that read only that.
    /// </summary>
    public static AuthenticatorEnrolment Create(string issuer, string account, string base32Key)
    {
        var key = base32Key.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        // A colon would split the label in the wrong place; apps show the issuer from the parameter anyway.
        var cleanIssuer = issuer.Replace(":", "", StringComparison.Ordinal).Trim();
        var label = System.Uri.EscapeDataString(cleanIssuer) + ":" + System.Uri.EscapeDataString(account);
        var uri = $"otpauth://totp/{label}?secret={key}&issuer={System.Uri.EscapeDataString(cleanIssuer)}&digits={TotpEngine.Digits}&period={TotpEngine.StepSeconds}";
        return new AuthenticatorEnrolment(uri, Group(key), Svg(uri));
    }

    /// <summary>The key in lower-case groups of four, easier to read and type; apps ignore the spaces.</summary>
    public static string Group(string key)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (builder.Length > 0)
                builder.Append(' ');
            builder.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return builder.ToString().ToLowerInvariant();
    }

    /// <summary>
    /// The QR code as inline SVG markup made only of shapes and attributes (no script, no style attribute), so the
    /// Content-Security-Policy needs nothing extra and no image request carries the secret.
    /// </summary>
    private static string Svg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(5, "#000000", "#ffffff", drawQuietZones: true);
    }
}
