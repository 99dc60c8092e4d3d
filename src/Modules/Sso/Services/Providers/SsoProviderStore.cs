using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Data;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>
/// The tenant's identity providers in its own database (<c>sso_providers</c>, <c>sso_settings</c>). Every write is
/// validated first (nothing is written when anything is wrong), version-checked and audited; the OIDC client
/// secret is kept encrypted with <see cref="ISecretProtector"/> and never leaves the store except through
/// <see cref="ClientSecretAsync"/>.
/// </summary>
public sealed partial class SsoProviderStore(ITenantDatabase database, ISecretProtector secrets, IAuditTrail audit, TenantContext tenant,
    TimeProvider clock, IStringLocalizer<SsoProviderStore> localizer) : ISsoProviderStore
{
    public const int MaxProviders = 50, MaxDomains = 20, MaxGroupRoles = 100, MaxCertificates = 5, MaxScopes = 20;

    /// <summary>Presets of OIDC providers (they fill defaults only).</summary>
    public static IReadOnlyList<string> OidcPresets { get; } = ["custom", "okta", "auth0", "entra", "google"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopePattern();

    /// <summary>Roles a provider may give in this tenant.</summary>
    public IReadOnlyList<string> AllowedRoles => tenant.IsDefault ? StudioRoles.Platform : StudioRoles.Studio;

    public async Task<IReadOnlyList<SsoProvider>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Select + " ORDER BY label, id", cancellationToken: cancellationToken));
        return rows.Select(ToProvider).ToList();
    }

    public async Task<SsoProvider?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 50)
            return null;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(Select + " WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : ToProvider(row);
    }

    public async Task<SsoProvider> SaveAsync(SsoProvider provider, string? newClientSecret, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(actor);
        var clean = Normalize(provider);
        var isNew = provider.Version == 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var existing = isNew ? null : await GetAsync(clean.Id, cancellationToken);
        if (!isNew && existing is null)
            throw new SsoValidationException(localizer["This identity provider does not exist (any more)."]);
        if (existing is not null && existing.Protocol != clean.Protocol)
            throw new SsoValidationException(localizer["The protocol of an identity provider cannot be changed; add a new one instead."], nameof(SsoProvider.Protocol));
        if (existing is not null && existing.Version != provider.Version)
            throw new SsoValidationException(localizer["Someone else changed this identity provider meanwhile. Reload it and try again."]);

        // The stored secret is kept unless a new one is given ("" removes it); what the caller passed as the
        // protected value is never trusted.
        if (clean.Oidc is { } oidc)
        {
            string? secret;
            if (newClientSecret is null)
                secret = existing?.Oidc?.ClientSecretProtected;
            else if (newClientSecret.Trim().Length == 0)
                secret = null;
            else if (newClientSecret.Length > 1000)
                throw new SsoValidationException(localizer["The client secret is too long."], "ClientSecret");
            else
                secret = secrets.Protect(newClientSecret.Trim());
            clean = clean with { Oidc = oidc with { ClientSecretProtected = secret } };
        }

        var all = await ListAsync(cancellationToken);
        if (isNew && all.Count >= MaxProviders)
            throw new SsoValidationException(localizer["A tenant can have at most {0} identity providers.", MaxProviders]);
        foreach (var domain in clean.EmailDomains)
            if (all.FirstOrDefault(p => p.Id != clean.Id && p.EmailDomains.Contains(domain)) is { } other)
                throw new SsoValidationException(localizer["The e-mail domain {0} already leads to the identity provider \"{1}\".", domain, other.Label], nameof(SsoProvider.EmailDomains));
        if (!clean.Enabled && existing is { Enabled: true } && !all.Any(p => p.Id != clean.Id && p.Enabled)
            && (await GetSettingsAsync(cancellationToken)).SsoOnlyStaff)
            throw new SsoValidationException(localizer["Staff can only sign in through an identity provider: keep one enabled, or allow passwords again first."], nameof(SsoProvider.Enabled));

        var settingsJson = clean.Protocol == SsoProtocols.Saml ? JsonSerializer.Serialize(clean.Saml, Json) : JsonSerializer.Serialize(clean.Oidc, Json);
        var args = new
        {
            clean.Id, clean.Protocol, clean.Label, clean.Enabled,
            Domains = string.Join(",", clean.EmailDomains),
            Jit = clean.JustInTimeProvisioning, clean.DefaultRole,
            Groups = JsonSerializer.Serialize(clean.GroupRoles, Json),
            Trust = clean.TrustProviderMultiFactor,
            Settings = settingsJson,
            Version = provider.Version,
            Now = database.Dialect.UtcValue(now),
        };
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            if (isNew)
            {
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO sso_providers (id, protocol, label, enabled, email_domains, jit_provisioning, default_role, group_roles_json, trust_mfa, settings_json, version, created_utc, updated_utc) " +
                        "VALUES (@Id, @Protocol, @Label, @Enabled, @Domains, @Jit, @DefaultRole, @Groups, @Trust, @Settings, 1, @Now, @Now)", args, cancellationToken: cancellationToken));
                }
                catch (DbException e) when (e.SqlState == "23505" || e.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal))
                {
                    throw new SsoValidationException(localizer["An identity provider with the id \"{0}\" exists already.", clean.Id], nameof(SsoProvider.Id));
                }
            }
            else
            {
                var updated = await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE sso_providers SET label = @Label, enabled = @Enabled, email_domains = @Domains, jit_provisioning = @Jit, default_role = @DefaultRole, " +
                    "group_roles_json = @Groups, trust_mfa = @Trust, settings_json = @Settings, version = version + 1, updated_utc = @Now WHERE id = @Id AND version = @Version",
                    args, cancellationToken: cancellationToken));
                if (updated == 0)
                    throw new SsoValidationException(localizer["Someone else changed this identity provider meanwhile. Reload it and try again."]);
            }
        }
        var saved = (await GetAsync(clean.Id, cancellationToken))!;
        await audit.RecordAsync(new AuditRecord(actor, isNew ? "sso.provider.created" : "sso.provider.updated", $"sso:{saved.Id}",
            existing is null ? null : AuditView(existing), AuditView(saved)), cancellationToken);
        return saved;
    }

    public async Task DeleteAsync(string id, AuditActor actor, CancellationToken cancellationToken = default)
    {
        var existing = await GetAsync(id, cancellationToken);
        if (existing is null)
            return;
        if (existing.Enabled && (await GetSettingsAsync(cancellationToken)).SsoOnlyStaff
            && !(await ListAsync(cancellationToken)).Any(p => p.Id != id && p.Enabled))
            throw new SsoValidationException(localizer["Staff can only sign in through an identity provider: keep one enabled, or allow passwords again first."]);
        int deleted;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            deleted = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sso_providers WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        if (deleted > 0)
            await audit.RecordAsync(new AuditRecord(actor, "sso.provider.deleted", $"sso:{id}", AuditView(existing)), cancellationToken);
    }

    public async Task<SsoSettings> GetSettingsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var value = await connection.ExecuteScalarAsync<object?>(new CommandDefinition("SELECT sso_only_staff FROM sso_settings WHERE id = 1", cancellationToken: cancellationToken));
        return new SsoSettings(value is not null and not DBNull && Convert.ToBoolean(value, CultureInfo.InvariantCulture));
    }

    public async Task SaveSettingsAsync(SsoSettings settings, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var before = await GetSettingsAsync(cancellationToken);
        if (before == settings)
            return;
        if (settings.SsoOnlyStaff && !(await ListAsync(cancellationToken)).Any(p => p.Enabled))
            throw new SsoValidationException(localizer["Enable an identity provider first: otherwise no member of staff could sign in."], nameof(SsoSettings.SsoOnlyStaff));
        var args = new { only = settings.SsoOnlyStaff, ms = clock.GetUtcNow().ToUnixTimeMilliseconds() };
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sso_settings SET sso_only_staff = @only, updated_ms = @ms WHERE id = 1", args, cancellationToken: cancellationToken));
            if (updated == 0)
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO sso_settings (id, sso_only_staff, updated_ms) VALUES (1, @only, @ms)", args, cancellationToken: cancellationToken));
                }
                catch (DbException e) when (e.SqlState == "23505" || e.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal))
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        "UPDATE sso_settings SET sso_only_staff = @only, updated_ms = @ms WHERE id = 1", args, cancellationToken: cancellationToken));
                }
        }
        await audit.RecordAsync(new AuditRecord(actor, "sso.settings.changed", "sso", before, settings), cancellationToken);
    }

    public async Task<string?> ClientSecretAsync(string providerId, CancellationToken cancellationToken = default)
    {
        var provider = await GetAsync(providerId, cancellationToken);
        return provider?.Oidc?.ClientSecretProtected is { } protectedSecret ? secrets.Unprotect(protectedSecret) : null;
    }

    /// <summary>Checks and normalises everything given; throws a localized <see cref="SsoValidationException"/> on the first problem.</summary>
    internal SsoProvider Normalize(SsoProvider p)
    {
        var id = (p.Id ?? "").Trim().ToLowerInvariant();
        if (!IdPattern().IsMatch(id))
            throw new SsoValidationException(localizer["The id is 1 to 50 lower-case letters, digits and dashes (it is part of the provider's URLs)."], nameof(SsoProvider.Id));
        var label = (p.Label ?? "").Trim();
        if (label.Length is 0 or > 100)
            throw new SsoValidationException(localizer["Give the provider a label of at most 100 characters (it is the sign-in button's text)."], nameof(SsoProvider.Label));
        var domains = new List<string>();
        foreach (var raw in p.EmailDomains ?? [])
        {
            var text = (raw ?? "").Trim().TrimStart('@').TrimEnd('.');
            if (text.Length == 0)
                continue;
            string domain;
            try { domain = new IdnMapping().GetAscii(text).ToLowerInvariant(); }
            catch (ArgumentException) { throw new SsoValidationException(localizer["\"{0}\" is not an e-mail domain.", text], nameof(SsoProvider.EmailDomains)); }
            if (!DomainPattern().IsMatch(domain))
                throw new SsoValidationException(localizer["\"{0}\" is not an e-mail domain.", text], nameof(SsoProvider.EmailDomains));
            if (!domains.Contains(domain))
                domains.Add(domain);
        }
        if (domains.Count > MaxDomains)
            throw new SsoValidationException(localizer["At most {0} e-mail domains per provider.", MaxDomains], nameof(SsoProvider.EmailDomains));
        var defaultRole = string.IsNullOrWhiteSpace(p.DefaultRole) ? null : p.DefaultRole.Trim();
        if (defaultRole is not null && !AllowedRoles.Contains(defaultRole))
            throw new SsoValidationException(localizer["The role \"{0}\" cannot be given in this tenant.", defaultRole], nameof(SsoProvider.DefaultRole));
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawGroup, rawRole) in p.GroupRoles ?? new Dictionary<string, string>())
        {
            var group = (rawGroup ?? "").Trim();
            var role = (rawRole ?? "").Trim();
            if (group.Length is 0 or > 256)
                throw new SsoValidationException(localizer["A group name is 1 to 256 characters."], nameof(SsoProvider.GroupRoles));
            if (!AllowedRoles.Contains(role))
                throw new SsoValidationException(localizer["The role \"{0}\" cannot be given in this tenant.", role], nameof(SsoProvider.GroupRoles));
            groups[group] = role;
        }
        if (groups.Count > MaxGroupRoles)
            throw new SsoValidationException(localizer["At most {0} group mappings per provider.", MaxGroupRoles], nameof(SsoProvider.GroupRoles));

        var clean = p with
        {
            Id = id, Label = label, EmailDomains = domains, DefaultRole = defaultRole, GroupRoles = groups,
        };
        return p.Protocol switch
        {
            SsoProtocols.Saml when p.Saml is { } saml && p.Oidc is null => clean with { Saml = NormalizeSaml(saml) },
            SsoProtocols.Oidc when p.Oidc is { } oidc && p.Saml is null => clean with { Oidc = NormalizeOidc(oidc) },
            _ => throw new SsoValidationException(localizer["Choose SAML 2.0 or OpenID Connect, and give that protocol's settings."], nameof(SsoProvider.Protocol)),
        };
    }

    private SamlProviderSettings NormalizeSaml(SamlProviderSettings s)
    {
        var entityId = (s.IdpEntityId ?? "").Trim();
        if (entityId.Length is 0 or > 1000)
            throw new SsoValidationException(localizer["Give the identity provider's entity id (issuer), at most 1000 characters."], nameof(SamlProviderSettings.IdpEntityId));
        var sso = Url(s.SsoUrl, nameof(SamlProviderSettings.SsoUrl), required: true)!;
        var binding = (s.SsoBinding ?? "").Trim().ToLowerInvariant();
        if (binding is not ("redirect" or "post"))
            throw new SsoValidationException(localizer["The sign-in binding is HTTP-Redirect or HTTP-POST."], nameof(SamlProviderSettings.SsoBinding));
        var slo = Url(s.SloUrl, nameof(SamlProviderSettings.SloUrl), required: false);
        var metadata = Url(s.MetadataUrl, nameof(SamlProviderSettings.MetadataUrl), required: false);
        var certificates = new List<string>();
        foreach (var text in s.SigningCertificates ?? [])
        {
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var pem = CertificatePem(text) ?? throw new SsoValidationException(localizer["A signing certificate could not be read: paste it as PEM (-----BEGIN CERTIFICATE-----) or base64."], nameof(SamlProviderSettings.SigningCertificates));
            if (!certificates.Contains(pem))
                certificates.Add(pem);
        }
        if (certificates.Count == 0)
            throw new SsoValidationException(localizer["Give at least one signing certificate of the identity provider: only its signatures are accepted."], nameof(SamlProviderSettings.SigningCertificates));
        if (certificates.Count > MaxCertificates)
            throw new SsoValidationException(localizer["At most {0} signing certificates per provider.", MaxCertificates], nameof(SamlProviderSettings.SigningCertificates));
        if (s.MetadataRefreshHours is < 1 or > 720)
            throw new SsoValidationException(localizer["Refresh the metadata every 1 to 720 hours."], nameof(SamlProviderSettings.MetadataRefreshHours));
        var requireSigned = (s.RequireSigned ?? "").Trim().ToLowerInvariant();
        if (requireSigned is not ("assertion" or "response" or "either"))
            throw new SsoValidationException(localizer["Choose what must be signed: the assertion, the response, or either."], nameof(SamlProviderSettings.RequireSigned));
        if (s.ClockSkewSeconds is < 0 or > 600)
            throw new SsoValidationException(localizer["The allowed clock skew is 0 to 600 seconds."], nameof(SamlProviderSettings.ClockSkewSeconds));
        return s with
        {
            IdpEntityId = entityId, SsoUrl = sso, SsoBinding = binding, SloUrl = slo, MetadataUrl = metadata, SigningCertificates = certificates,
            RequireSigned = requireSigned, Mapping = NormalizeMapping(s.Mapping),
            MetadataFetchedUtc = s.MetadataFetchedUtc is { } f ? DateTime.SpecifyKind(f, DateTimeKind.Utc) : null,
        };
    }

    private OidcProviderSettings NormalizeOidc(OidcProviderSettings s)
    {
        var preset = (s.Preset ?? "").Trim().ToLowerInvariant();
        if (!OidcPresets.Contains(preset))
            throw new SsoValidationException(localizer["Choose a preset: Okta, Auth0, Entra ID, Google or custom."], nameof(OidcProviderSettings.Preset));
        var authority = Url(s.Authority, nameof(OidcProviderSettings.Authority), required: true)!.TrimEnd('/');
        var clientId = (s.ClientId ?? "").Trim();
        if (clientId.Length is 0 or > 256)
            throw new SsoValidationException(localizer["Give the client id the provider issued, at most 256 characters."], nameof(OidcProviderSettings.ClientId));
        var scopes = new List<string>();
        foreach (var raw in s.Scopes ?? [])
            foreach (var scope in (raw ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!ScopePattern().IsMatch(scope))
                    throw new SsoValidationException(localizer["\"{0}\" is not a scope.", scope], nameof(OidcProviderSettings.Scopes));
                if (!scopes.Contains(scope))
                    scopes.Add(scope);
            }
        if (!scopes.Contains("openid"))
            scopes.Insert(0, "openid");
        if (scopes.Count > MaxScopes)
            throw new SsoValidationException(localizer["At most {0} scopes.", MaxScopes], nameof(OidcProviderSettings.Scopes));
        return s with { Preset = preset, Authority = authority, ClientId = clientId, Scopes = scopes, Mapping = NormalizeMapping(s.Mapping) };
    }

    private ClaimMapping NormalizeMapping(ClaimMapping? m)
    {
        string? One(string? value, string field)
        {
            var v = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            if (v is { Length: > 256 })
                throw new SsoValidationException(localizer["An attribute or claim name is at most 256 characters."], field);
            return v;
        }
        m ??= new ClaimMapping();
        return new ClaimMapping { Email = One(m.Email, "Mapping.Email"), Name = One(m.Name, "Mapping.Name"), Groups = One(m.Groups, "Mapping.Groups") };
    }

    /// <summary>An absolute https URL (http only for this machine: loopback test providers); null when blank and not required.</summary>
    private string? Url(string? value, string field, bool required)
    {
        var text = (value ?? "").Trim();
        if (text.Length == 0)
            return required ? throw new SsoValidationException(localizer["This address is required."], field) : null;
        if (text.Length > 2000 || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            throw new SsoValidationException(localizer["\"{0}\" is not an https address.", text.Length > 100 ? text[..100] + "…" : text], field);
        return uri.AbsoluteUri;
    }

    /// <summary>A certificate given as PEM or bare base64 (as in metadata), as normalised PEM; null when unreadable.</summary>
    public static string? CertificatePem(string text)
    {
        try
        {
            var trimmed = text.Trim();
            using var certificate = trimmed.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(trimmed)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(string.Concat(trimmed.Where(c => !char.IsWhiteSpace(c)))));
            return certificate.ExportCertificatePem();
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>What the audit trail keeps of a provider: everything but the secret (only whether there is one).</summary>
    private static object AuditView(SsoProvider p) => new
    {
        p.Id, p.Protocol, p.Label, p.Enabled, p.EmailDomains, p.JustInTimeProvisioning, p.DefaultRole, p.GroupRoles, p.TrustProviderMultiFactor,
        Saml = p.Saml is { } s ? new
        {
            s.IdpEntityId, s.SsoUrl, s.SsoBinding, s.SloUrl, s.MetadataUrl, s.RequireSigned, s.AllowSha1, s.AllowIdpInitiated, s.ClockSkewSeconds,
            Certificates = s.SigningCertificates.Select(Thumbprint).ToList(),
        } : null,
        Oidc = p.Oidc is { } o ? new { o.Preset, o.Authority, o.ClientId, o.Scopes, HasClientSecret = o.ClientSecretProtected is not null } : null,
        p.Version,
    };

    private static string Thumbprint(string pem)
    {
        try
        {
            using var c = X509Certificate2.CreateFromPem(pem);
            return c.GetCertHashString(HashAlgorithmName.SHA256);
        }
        catch (CryptographicException) { return "?"; }
    }

    private const string Select =
        "SELECT id AS Id, protocol AS Protocol, label AS Label, enabled AS Enabled, email_domains AS EmailDomains, jit_provisioning AS Jit, " +
        "default_role AS DefaultRole, group_roles_json AS GroupRoles, trust_mfa AS TrustMfa, settings_json AS Settings, version AS Version, " +
        "created_utc AS Created, updated_utc AS Updated FROM sso_providers";

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Protocol { get; set; } = "";
        public string Label { get; set; } = "";
        public bool Enabled { get; set; }
        public string EmailDomains { get; set; } = "";
        public bool Jit { get; set; }
        public string? DefaultRole { get; set; }
        public string GroupRoles { get; set; } = "{}";
        public bool TrustMfa { get; set; }
        public string Settings { get; set; } = "{}";
        public long Version { get; set; }
        public object Created { get; set; } = "";
        public object Updated { get; set; } = "";
    }

    private static SsoProvider ToProvider(Row r) => new()
    {
        Id = r.Id, Protocol = r.Protocol, Label = r.Label, Enabled = r.Enabled,
        EmailDomains = r.EmailDomains.Split(',', StringSplitOptions.RemoveEmptyEntries),
        JustInTimeProvisioning = r.Jit, DefaultRole = r.DefaultRole,
        GroupRoles = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GroupRoles, Json) ?? [],
        TrustProviderMultiFactor = r.TrustMfa,
        Saml = r.Protocol == SsoProtocols.Saml ? JsonSerializer.Deserialize<SamlProviderSettings>(r.Settings, Json) : null,
        Oidc = r.Protocol == SsoProtocols.Oidc ? JsonSerializer.Deserialize<OidcProviderSettings>(r.Settings, Json) : null,
        Version = (int)r.Version, CreatedUtc = StoredUtc.Read(r.Created), UpdatedUtc = StoredUtc.Read(r.Updated),
    };
}
