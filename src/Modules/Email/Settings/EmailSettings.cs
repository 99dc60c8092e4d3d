using Microsoft.Extensions.Configuration;

namespace Studio.Modules.Email.Settings;

/// <summary>
/// Email settings: platform defaults in the host's <c>Studio:Email</c> section, overridden per tenant by the
/// <c>Email</c> section of its settings. A tenant's SMTP password is stored encrypted, as
/// <c>PasswordProtected</c> (the host's tenant service encrypts a <c>Password</c> given in clear when it saves the
/// settings, see <see cref="Studio.Security.SecretSettings"/>), and decrypted only when connecting.
/// </summary>
public sealed class EmailSettings
{
    /// <summary>Host configuration section of the platform defaults.</summary>
    public const string PlatformSection = "Studio:Email";

    /// <summary>Section of a tenant's settings.</summary>
    public const string TenantSection = "Email";

    /// <summary>Sender address.</summary>
    public string FromAddress { get; set; } = "";

    /// <summary>Sender display name; empty: the tenant's brand name.</summary>
    public string FromName { get; set; } = "";

    /// <summary>Providers in failover order: the first is tried first.</summary>
    public List<EmailProviderSettings> Providers { get; set; } = [];

    /// <summary>Delivery attempts before a message is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay after the first failed attempt; doubled after each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an active tenant looks for due messages; zero turns the background pump off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-tenant template overrides by template name.</summary>
    public Dictionary<string, EmailTemplateOverride> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The effective settings of a tenant: the platform's, with every value the tenant sets taken from the
    /// tenant. A tenant that lists providers replaces the platform's list as a whole (lists never merge).
    /// </summary>
    public static EmailSettings Resolve(IConfiguration host, IConfiguration tenant)
    {
        var platform = host.GetSection(PlatformSection);
        var own = tenant.GetSection(TenantSection);
        var settings = new EmailSettings();
        platform.Bind(settings, o => o.ErrorOnUnknownConfiguration = false);
        var providers = settings.Providers;
        settings.Providers = [];
        own.Bind(settings);
        if (!own.GetSection(nameof(Providers)).GetChildren().Any())
            settings.Providers = providers;
        return settings;
    }
}

/// <summary>One delivery provider.</summary>
public sealed class EmailProviderSettings
{
    /// <summary><c>Smtp</c> or <c>Pickup</c> (writes .eml files for a local mail agent or an operator).</summary>
    public string Kind { get; set; } = "Smtp";

    /// <summary>Name in logs and errors; default: kind and host.</summary>
    public string? Name { get; set; }

    /// <summary>SMTP host.</summary>
    public string Host { get; set; } = "";

    /// <summary>SMTP port.</summary>
    public int Port { get; set; } = 587;

    /// <summary>TLS: <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>, <c>SslOnConnect</c>, <c>Auto</c>.</summary>
    public string Tls { get; set; } = "StartTls";

    /// <summary>SMTP user; empty: no authentication.</summary>
    public string User { get; set; } = "";

    /// <summary>
    /// SMTP password in clear: only from the host's configuration (platform defaults). In a tenant's settings it
    /// is replaced by <see cref="PasswordProtected"/> when saved. A secret: never logged, never stored in the outbox.
    /// </summary>
    public string Password { get; set; } = "";

    /// <summary>SMTP password encrypted with the tenant's <see cref="Studio.Security.ISecretProtector"/>.</summary>
    public string PasswordProtected { get; set; } = "";

    /// <summary>Pickup folder; relative paths are under the tenant's data folder.</summary>
    public string Directory { get; set; } = "mail-pickup";

    /// <summary>Connection and command timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The name used in logs.</summary>
    public string DisplayName => Name ?? (Kind.Equals("Pickup", StringComparison.OrdinalIgnoreCase) ? "pickup" : $"smtp {Host}:{Port}");
}

/// <summary>A tenant's own wording of a template; <c>{{token}}</c> placeholders are replaced (HTML-encoded in HTML).</summary>
public sealed class EmailTemplateOverride
{
    /// <summary>Subject line.</summary>
    public string? Subject { get; set; }

    /// <summary>HTML body (inside the branded frame); sanitized before it is rendered (no script, handlers, frames).</summary>
    public string? Html { get; set; }

    /// <summary>Plain-text body.</summary>
    public string? Text { get; set; }
}
