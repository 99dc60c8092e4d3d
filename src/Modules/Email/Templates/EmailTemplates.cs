using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Studio.Email;
using Studio.Modules.Email.Settings;
using Studio.Tenancy;

namespace Studio.Modules.Email.Templates;

/// <summary>
/// The tenant's email templates: built-in wording through <see cref="IStringLocalizer"/> in the recipient's
/// culture, or the tenant's own wording from its settings; <c>{{token}}</c> placeholders are replaced with
/// values (HTML-encoded in the HTML part), inside a frame carrying the tenant's brand name and colour.
/// A deliberately small mechanism: transactional mails are a few lines each, Razor would be heavy.
/// </summary>
public sealed partial class EmailTemplates(TenantContext tenant, EmailSettings settings, IStringLocalizer<EmailTemplates> localizer) : IEmailTemplates
{
    /// <summary>Invitation to join the studio; values: <c>inviter</c>, <c>link</c>.</summary>
    public const string Invitation = "invitation";

    /// <summary>One-time sign-in link; values: <c>link</c>, <c>minutes</c>.</summary>
    public const string MagicLink = "magic-link";

    /// <summary>Link to choose a new password; values: <c>link</c>.</summary>
    public const string PasswordReset = "password-reset";

    /// <summary>Link to confirm an e-mail address; values: <c>link</c>.</summary>
    public const string ConfirmEmail = "confirm-email";

    private const string DefaultColor = "#1f2937";

    /// <inheritdoc />
    public EmailMessage Render(string template, string to, string toName, string? culture, IReadOnlyDictionary<string, string> values)
    {
        var cultureInfo = CultureInfo.GetCultureInfo(string.IsNullOrWhiteSpace(culture) ? tenant.Culture : culture);
        var previous = CultureInfo.CurrentUICulture;
        // The localizer reads the current UI culture: switch to the recipient's for this rendering only.
        CultureInfo.CurrentUICulture = cultureInfo;
        try
        {
            var (subject, html, text) = Wording(template);
            if (settings.Templates.TryGetValue(template, out var own))
                (subject, html, text) = (own.Subject ?? subject, own.Html ?? html, own.Text ?? text);
            var brand = tenant.Brand.DisplayName.Length > 0 ? tenant.Brand.DisplayName : tenant.DisplayName;
            var all = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase) { ["studio"] = brand, ["name"] = toName };
            var color = tenant.Brand.PrimaryColor is { } c && ColorRegex().IsMatch(c) ? c : DefaultColor;
            var footer = localizer["You receive this email from {0}.", brand].Value;
            var body = new StringBuilder()
                .Append("<!DOCTYPE html><html lang=\"").Append(WebUtility.HtmlEncode(cultureInfo.Name)).Append("\"><body style=\"margin:0;font-family:sans-serif\">")
                .Append("<div style=\"background:").Append(color).Append(";color:#ffffff;padding:16px;font-size:20px\">").Append(WebUtility.HtmlEncode(brand)).Append("</div>")
                .Append("<div style=\"padding:16px\">").Append(Replace(html, all, encode: true)).Append("</div>")
                .Append("<div style=\"padding:16px;color:#6b7280;font-size:12px\">").Append(WebUtility.HtmlEncode(footer)).Append("</div>")
                .Append("</body></html>").ToString();
            return new EmailMessage(Guid.NewGuid(), to, toName, Replace(subject, all, encode: false), body,
                Replace(text, all, encode: false) + "\n\n-- \n" + footer + "\n");
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private (string Subject, string Html, string Text) Wording(string template) => template switch
    {
        Invitation => (
            localizer["{{inviter}} invited you to {{studio}}"].Value,
            localizer["<p>Hello {{name}},</p><p>{{inviter}} invited you to join {{studio}}.</p><p><a href=\"{{link}}\">Accept the invitation</a></p>"].Value,
            localizer["Hello {{name}},\n\n{{inviter}} invited you to join {{studio}}.\nAccept the invitation: {{link}}"].Value),
        MagicLink => (
            localizer["Your sign-in link for {{studio}}"].Value,
            localizer["<p>Hello {{name}},</p><p><a href=\"{{link}}\">Sign in to {{studio}}</a>. The link works once, for {{minutes}} minutes.</p>"].Value,
            localizer["Hello {{name}},\n\nSign in to {{studio}}: {{link}}\nThe link works once, for {{minutes}} minutes."].Value),
        PasswordReset => (
            localizer["Choose a new password for {{studio}}"].Value,
            localizer["<p>Hello {{name}},</p><p>Someone asked to reset the password of your {{studio}} account. <a href=\"{{link}}\">Choose a new password</a>.</p><p>If it was not you, ignore this e-mail: your password stays as it is.</p>"].Value,
            localizer["Hello {{name}},\n\nSomeone asked to reset the password of your {{studio}} account. Choose a new password: {{link}}\n\nIf it was not you, ignore this e-mail: your password stays as it is."].Value),
        ConfirmEmail => (
            localizer["Confirm your e-mail address for {{studio}}"].Value,
            localizer["<p>Hello {{name}},</p><p><a href=\"{{link}}\">Confirm your e-mail address</a> to finish creating your {{studio}} account.</p>"].Value,
            localizer["Hello {{name}},\n\nConfirm your e-mail address to finish creating your {{studio}} account: {{link}}"].Value),
        _ when settings.Templates.ContainsKey(template) => ("", "", ""),
        _ => throw new ArgumentException($"There is no email template '{template}'.", nameof(template)),
    };

    private static string Replace(string template, IReadOnlyDictionary<string, string> values, bool encode) =>
        TokenRegex().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? encode ? WebUtility.HtmlEncode(value) : value
            : m.Value);

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex TokenRegex();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorRegex();
}
