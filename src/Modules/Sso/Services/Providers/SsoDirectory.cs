using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Sso.Data;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>Where each protocol's sign-in starts (tenant-relative).</summary>
public static class SsoPaths
{
    public static string Login(SsoProvider provider) => Login(provider.Protocol, provider.Id);

    public static string Login(string protocol, string id) => $"/sso/{protocol}/{Uri.EscapeDataString(id)}/login";

    /// <summary>The SAML SP's metadata (entity id) and assertion consumer service, tenant-relative.</summary>
    public static string SamlMetadata(string id) => $"/sso/saml/{Uri.EscapeDataString(id)}/metadata";

    public static string SamlAcs(string id) => $"/sso/saml/{Uri.EscapeDataString(id)}/acs";

    /// <summary>SP-initiated single logout (POST with the antiforgery token).</summary>
    public static string SamlLogout(string id) => $"/sso/saml/{Uri.EscapeDataString(id)}/logout";

    public static string OidcCallback(string id) => $"/sso/oidc/{Uri.EscapeDataString(id)}/callback";
}

/// <summary>
/// The sign-in page's view of the tenant's identity providers: the enabled ones whose protocol feature is on
/// (buttons), and home-realm discovery by the e-mail's domain (exact, case-insensitive, IDN-normalised).
/// </summary>
public sealed class SsoDirectory(ISsoProviderStore store, TenantContext tenant) : IExternalProviderDirectory
{
    public async Task<IReadOnlyList<ExternalProviderLink>> ListAsync(CancellationToken cancellationToken = default) =>
        (await UsableAsync(cancellationToken)).Select(Link).ToList();

    public async Task<ExternalProviderLink?> FindByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        var domain = DomainOf(email);
        if (domain is null)
            return null;
        var provider = (await UsableAsync(cancellationToken)).FirstOrDefault(p => p.EmailDomains.Contains(domain, StringComparer.Ordinal));
        return provider is null ? null : Link(provider);
    }

    /// <summary>The ASCII, lower-case domain of an address, or null.</summary>
    internal static string? DomainOf(string? email)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 256)
            return null;
        var at = email.Trim().LastIndexOf('@');
        if (at <= 0 || at == email.Trim().Length - 1)
            return null;
        try { return new System.Globalization.IdnMapping().GetAscii(email.Trim()[(at + 1)..].TrimEnd('.')).ToLowerInvariant(); }
        catch (ArgumentException) { return null; }
    }

    private async Task<IEnumerable<SsoProvider>> UsableAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken)).Where(p => p.Enabled && tenant.IsFeatureEnabled(p.Protocol == SsoProtocols.Saml ? "Studio.Sso.Saml" : "Studio.Sso.Oidc"));

    private static ExternalProviderLink Link(SsoProvider p) => new(p.Id, p.Label, SsoPaths.Login(p));
}

/// <summary>
/// "SSO only" for staff: when the tenant turns it on, an account holding a staff role cannot sign in with a
/// password, a magic link, nor reset its password — its organisation's identity provider is the only way in.
/// On the Default (operator) tenant it applies to resellers but never to operators: an identity provider that is
/// down, misconfigured or gone must not lock the platform's operators out (they keep their password and the
/// tenant's 2FA — the way back to fix the provider or turn SSO-only off).
/// </summary>
public sealed class SsoOnlyStaffPolicy(ISsoProviderStore store, IServiceProvider services, TenantContext tenant, IStringLocalizer<SsoOnlyStaffPolicy> localizer)
    : IPasswordSignInPolicy
{
    public async Task<string?> RefusalAsync(StudioUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!(await store.GetSettingsAsync(cancellationToken)).SsoOnlyStaff)
            return null;
        var users = services.GetService<UserManager<StudioUser>>();
        if (users is null)
            return null;
        var roles = await users.GetRolesAsync(user);
        if (tenant.IsDefault && roles.Contains(StudioRoles.Operator))
            return null;
        var staff = tenant.IsDefault ? StudioRoles.Platform : StudioRoles.Staff;
        return roles.Any(staff.Contains) ? localizer["Sign in with your organisation's account: this studio's staff sign in through its identity provider."].Value : null;
    }
}
