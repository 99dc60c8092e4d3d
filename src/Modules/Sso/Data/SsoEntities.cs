namespace Studio.Modules.Sso.Data;

/// <summary>Protocols an identity provider speaks.</summary>
public static class SsoProtocols
{
    public const string Saml = "saml", Oidc = "oidc";
}

/// <summary>One identity provider of the tenant. Exactly one of <see cref="Saml"/> / <see cref="Oidc"/> is set, per <see cref="Protocol"/>.</summary>
public sealed record SsoProvider
{
    /// <summary>Slug, unique in the tenant, part of its URLs (e.g. <c>/sso/saml/{id}/acs</c>); never changes.</summary>
    public string Id { get; init; } = "";
    public string Protocol { get; init; } = SsoProtocols.Saml;
    /// <summary>Sign-in button label.</summary>
    public string Label { get; init; } = "";
    public bool Enabled { get; init; }
    /// <summary>Home-realm discovery: e-mail domains (e.g. <c>bigstudio.com</c>) routed to this provider.</summary>
    public IReadOnlyList<string> EmailDomains { get; init; } = [];
    public bool JustInTimeProvisioning { get; init; }
    /// <summary>Role of a provisioned account none of whose groups maps; null refuses such a person.</summary>
    public string? DefaultRole { get; init; }
    /// <summary>Provider group → studio role.</summary>
    public IReadOnlyDictionary<string, string> GroupRoles { get; init; } = new Dictionary<string, string>();
    /// <summary>Skip the tenant's own 2FA when the provider asserts multi-factor authentication.</summary>
    public bool TrustProviderMultiFactor { get; init; }
    public SamlProviderSettings? Saml { get; init; }
    public OidcProviderSettings? Oidc { get; init; }
    public int Version { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
}

/// <summary>Where a person's e-mail, name and groups are read from (SAML attribute names / OIDC claim types).</summary>
public sealed record ClaimMapping
{
    /// <summary>Null: the NameID (SAML) or <c>email</c> claim (OIDC).</summary>
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Groups { get; init; }
}

/// <summary>A SAML identity provider, from its metadata (XML, URL) or entered by hand.</summary>
public sealed record SamlProviderSettings
{
    public string IdpEntityId { get; init; } = "";
    public string SsoUrl { get; init; } = "";
    /// <summary>redirect | post — how the AuthnRequest is sent.</summary>
    public string SsoBinding { get; init; } = "redirect";
    public string? SloUrl { get; init; }
    /// <summary>The IdP's signing certificates (PEM); several during its rollover. Only these verify responses.</summary>
    public IReadOnlyList<string> SigningCertificates { get; init; } = [];
    /// <summary>Metadata URL, fetched server-side (timeout, size cap) and refreshed every <see cref="MetadataRefreshHours"/>.</summary>
    public string? MetadataUrl { get; init; }
    public int MetadataRefreshHours { get; init; } = 24;
    public DateTime? MetadataFetchedUtc { get; init; }
    /// <summary>What must be signed: "assertion" (default) or "response" (or "either").</summary>
    public string RequireSigned { get; init; } = "assertion";
    /// <summary>SHA-1 signatures: off unless explicitly allowed for this IdP.</summary>
    public bool AllowSha1 { get; init; }
    /// <summary>IdP-initiated (unsolicited) responses: off unless enabled.</summary>
    public bool AllowIdpInitiated { get; init; }
    public int ClockSkewSeconds { get; init; } = 120;
    public ClaimMapping Mapping { get; init; } = new();
}

/// <summary>An OpenID Connect provider (authorization code + PKCE).</summary>
public sealed record OidcProviderSettings
{
    /// <summary>okta | auth0 | entra | google | custom — fills defaults (scopes, claim names, MFA claim).</summary>
    public string Preset { get; init; } = "custom";
    /// <summary>Issuer URL; discovery is read from <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string Authority { get; init; } = "";
    public string ClientId { get; init; } = "";
    /// <summary>Encrypted with ISecretProtector; never shown back, never logged.</summary>
    public string? ClientSecretProtected { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "profile", "email"];
    public ClaimMapping Mapping { get; init; } = new();
}

/// <summary>Tenant-wide SSO settings.</summary>
/// <param name="SsoOnlyStaff">Staff accounts can only sign in through an identity provider (passwords, links and resets refused).</param>
public sealed record SsoSettings(bool SsoOnlyStaff);
