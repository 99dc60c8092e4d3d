using System.Security.Claims;
using System.Text.Json;
using Studio.Identity;
using Studio.Modules.Sso.Data;

namespace Studio.Modules.Sso.Services.Oidc;

/// <summary>Verified OpenID Connect claims → <see cref="ExternalIdentity"/>, through the provider's claim mapping and preset.</summary>
internal static class OidcClaims
{
    /// <summary>Null when the claims carry no subject.</summary>
    public static ExternalIdentity? ToExternalIdentity(SsoProvider provider, ClaimsPrincipal principal)
    {
        var settings = provider.Oidc ?? new OidcProviderSettings();
        var preset = OidcPreset.For(settings.Preset);
        var subject = principal.FindFirst("sub")?.Value;
        if (string.IsNullOrWhiteSpace(subject))
            return null;
        var email = First(principal, settings.Mapping.Email ?? preset.EmailClaim);
        // An address the provider itself says it has not verified is not used to find or link an account.
        if (principal.FindFirst("email_verified")?.Value is { } verified && string.Equals(verified, "false", StringComparison.OrdinalIgnoreCase))
            email = null;
        var name = First(principal, settings.Mapping.Name ?? preset.NameClaim);
        var groupsClaim = settings.Mapping.Groups ?? preset.GroupsClaim;
        var groups = groupsClaim is null ? [] : Values(principal, groupsClaim);
        var multiFactor = Values(principal, "amr").Any(OidcPreset.MultiFactorMethods.Contains);
        return new ExternalIdentity(provider.Id, provider.Label, subject, string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            string.IsNullOrWhiteSpace(name) ? null : name.Trim(), groups, multiFactor);
    }

    private static string? First(ClaimsPrincipal principal, string type) => principal.FindFirst(type)?.Value;

    /// <summary>Every value of a claim: repeated claims, and JSON arrays kept as one claim.</summary>
    internal static IReadOnlyList<string> Values(ClaimsPrincipal principal, string type)
    {
        var values = new List<string>();
        foreach (var claim in principal.FindAll(type))
        {
            var value = claim.Value;
            if (value.StartsWith('[') && TryArray(value) is { } array)
                values.AddRange(array);
            else if (!string.IsNullOrWhiteSpace(value))
                values.Add(value);
        }
        return values.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string[]? TryArray(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
