using Microsoft.AspNetCore.Http;

namespace Studio.Identity;

/// <summary>
/// A person an external identity provider (SAML 2.0 or OpenID Connect, configured by the tenant) has just vouched
/// for — after every check of the protocol passed. Never built from unverified input.
/// </summary>
/// <param name="ProviderId">The tenant's identity-provider id (stable; accounts are linked per provider and subject).</param>
/// <param name="ProviderName">The provider's label, for audit entries.</param>
/// <param name="Subject">The provider's stable subject (SAML NameID / OIDC <c>sub</c>).</param>
/// <param name="Email">E-mail asserted by the provider (mapped attribute/claim), if any.</param>
/// <param name="DisplayName">Name asserted by the provider, if any.</param>
/// <param name="Groups">Groups asserted by the provider (mapped attribute/claim).</param>
/// <param name="MultiFactor">True when the provider asserted a multi-factor authentication (SAML AuthnContext / OIDC <c>amr</c>).</param>
public sealed record ExternalIdentity(string ProviderId, string ProviderName, string Subject, string? Email, string? DisplayName,
    IReadOnlyList<string> Groups, bool MultiFactor);

/// <summary>How one provider's identities become accounts of the tenant.</summary>
/// <param name="JustInTimeProvisioning">Create an account on first sign-in (else only existing, linked or same-e-mail accounts).</param>
/// <param name="GroupRoles">Provider group → studio role (<see cref="StudioRoles.Studio"/>); applied at every sign-in.</param>
/// <param name="DefaultRole">Role of a provisioned account none of whose groups maps, or null to refuse such a person.</param>
/// <param name="TrustProviderMultiFactor">Skip the tenant's own 2FA when the provider asserted multi-factor authentication.</param>
public sealed record ExternalSignInPolicy(bool JustInTimeProvisioning, IReadOnlyDictionary<string, string> GroupRoles, string? DefaultRole,
    bool TrustProviderMultiFactor);

/// <summary>The outcome of <see cref="IExternalSignIn.SignInAsync"/>.</summary>
/// <param name="Succeeded">The tenant's session cookie was issued.</param>
/// <param name="RequiresTwoFactor">The account must still pass the tenant's 2FA (redirect to <see cref="IdentityPaths.TwoFactor"/>).</param>
/// <param name="Error">A localized, non-leaking reason when refused.</param>
/// <param name="UserId">The account signed in (or waiting for 2FA).</param>
public sealed record ExternalSignInResult(bool Succeeded, bool RequiresTwoFactor, string? Error, string? UserId);

/// <summary>
/// Implemented by the Identity feature (tenant container): turns a verified <see cref="ExternalIdentity"/> into a
/// signed-in account of the current tenant only — finds the account linked to (provider, subject), else links an
/// existing account of this tenant with the same e-mail (never across tenants), else provisions one when the
/// policy allows; applies the group → role mapping; asks for 2FA unless the provider's MFA is trusted; audits.
/// </summary>
public interface IExternalSignIn
{
    Task<ExternalSignInResult> SignInAsync(HttpContext context, ExternalIdentity identity, ExternalSignInPolicy policy,
        bool rememberMe, CancellationToken cancellationToken = default);
}

/// <summary>A way to sign in with an external provider, shown on the tenant's sign-in page.</summary>
/// <param name="Id">Provider id.</param>
/// <param name="Label">Button label.</param>
/// <param name="ChallengePath">Tenant-relative path starting the sign-in (GET; the page appends <c>returnUrl</c>).</param>
public sealed record ExternalProviderLink(string Id, string Label, string ChallengePath);

/// <summary>
/// Registered by the SSO features: the enabled providers of the tenant (sign-in buttons) and home-realm discovery
/// by e-mail domain. The Identity sign-in page asks every registered directory.
/// </summary>
public interface IExternalProviderDirectory
{
    Task<IReadOnlyList<ExternalProviderLink>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The provider whose e-mail-domain hint matches <paramref name="email"/>, or null.</summary>
    Task<ExternalProviderLink?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);
}

/// <summary>
/// Registered by the SSO features: whether an account may still sign in with a password (or magic link, or reset
/// it). "SSO only" tenants refuse it for staff. Identity asks every registered policy; any refusal wins.
/// </summary>
public interface IPasswordSignInPolicy
{
    /// <summary>Null when allowed; otherwise a localized message (e.g. "Sign in with your organisation's account").</summary>
    Task<string?> RefusalAsync(StudioUser user, CancellationToken cancellationToken = default);
}

/// <summary>A way to sign out of the studio and of the identity provider the session came from (single logout).</summary>
/// <param name="ProviderId">The tenant's identity-provider id.</param>
/// <param name="ProviderLabel">The provider's label, to tell the person where else they are signed out.</param>
/// <param name="SignOutPath">Tenant-relative path the sign-out form POSTs to (with the antiforgery token); it ends the
/// local session and sends the person to the provider's logout.</param>
public sealed record ExternalSignOutLink(string ProviderId, string ProviderLabel, string SignOutPath);

/// <summary>
/// Registered by the SSO features: for the signed-in person of this request, the provider-side sign-out that also ends
/// their session at the identity provider (SAML single logout), when their session came from one that supports it.
/// Identity's sign-out page asks every registered provider and offers the first link as its "Sign out" button.
/// </summary>
public interface IExternalSignOutProvider
{
    /// <summary>The single-logout link for the current session, or null (local sign-out only).</summary>
    Task<ExternalSignOutLink?> FindAsync(HttpContext context, CancellationToken cancellationToken = default);
}
