namespace Studio.Modules.Sso.Services.Oidc;

/// <summary>
/// Defaults of the well-known OpenID Connect providers (scopes, claim names). Only defaults: a provider's own
/// settings (scopes, claim mapping) always win.
/// </summary>
public sealed record OidcPreset(string Name, IReadOnlyList<string> Scopes, string EmailClaim, string NameClaim, string? GroupsClaim,
    string? AuthorityHint)
{
    public const string Custom = "custom";

    private static readonly IReadOnlyDictionary<string, OidcPreset> All = new Dictionary<string, OidcPreset>(StringComparer.OrdinalIgnoreCase)
    {
        // Okta: groups only with the "groups" scope and a groups claim configured on the authorization server.
        ["okta"] = new("okta", ["openid", "profile", "email", "groups"], "email", "name", "groups", "https://{your-org}.okta.com/oauth2/default"),
        // Auth0: groups/roles come from a namespaced custom claim an Action adds; left to the mapping.
        ["auth0"] = new("auth0", ["openid", "profile", "email"], "email", "name", null, "https://{tenant}.auth0.com/"),
        // Entra ID (v2.0 endpoint): group object ids in "groups" when the app registration emits them.
        ["entra"] = new("entra", ["openid", "profile", "email"], "email", "name", "groups", "https://login.microsoftonline.com/{tenant-id}/v2.0"),
        ["google"] = new("google", ["openid", "profile", "email"], "email", "name", null, "https://accounts.google.com"),
        [Custom] = new(Custom, ["openid", "profile", "email"], "email", "name", "groups", null),
    };

    /// <summary>The preset of that name, or the custom one.</summary>
    public static OidcPreset For(string? name) =>
        name is not null && All.TryGetValue(name, out var preset) ? preset : All[Custom];

    public static IReadOnlyCollection<string> Names => All.Keys.ToArray();

    /// <summary>
    /// Authentication methods (RFC 8176 <c>amr</c> values) that mean more than one factor was used: "mfa" itself,
    /// one-time codes, hardware/software keys, biometrics, and Entra's "rsa"/"sms"/"tel" second factors.
    /// </summary>
    public static readonly IReadOnlySet<string> MultiFactorMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "mfa", "otp", "hwk", "swk", "sms", "tel", "fpt", "face", "iris", "retina", "vbm", "sc", "rsa",
    };
}
