using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Studio.Audit;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Turns an identity an external provider vouched for (after every protocol check passed) into a signed-in account
/// of THIS tenant: the account linked to (provider, subject) in <c>identity_user_logins</c> (login provider
/// <c>sso:{providerId}</c>), else this tenant's account with the same e-mail (then linked), else a new account when
/// the provider provisions just in time. The provider's group → role mapping is applied at every sign-in; the
/// tenant's own second factor is asked unless the provider asserted MFA and is trusted for it. Every outcome is
/// audited; refusals answer with one message that never tells why.
/// </summary>
public sealed class ExternalSignIn(
    UserManager<StudioUser> users,
    SignInManager<StudioUser> signIn,
    UserStore store,
    AccountService accounts,
    IdentityEvents events,
    TenantContext tenant,
    IStringLocalizer<ExternalSignIn> localizer,
    ILogger<ExternalSignIn> logger) : IExternalSignIn
{
    /// <summary>Prefix of the login provider of an SSO link (<c>sso:{providerId}</c>).</summary>
    public const string LoginPrefix = "sso:";

    public const string Linked = "identity.external.linked";

    /// <summary>The login provider name of a tenant identity provider.</summary>
    public static string LoginProvider(string providerId) => LoginPrefix + providerId;

    /// <summary>The stored key of a subject: itself, or its SHA-256 when longer than the column (256).</summary>
    public static string ProviderKey(string subject) =>
        subject.Length <= 200 ? subject : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));

    public async Task<ExternalSignInResult> SignInAsync(HttpContext context, ExternalIdentity identity, ExternalSignInPolicy policy,
        bool rememberMe, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(policy);
        signIn.Context = context;
        var refused = localizer["Signing in through your organisation did not work. Ask the studio's owner to check your access."].Value;
        if (string.IsNullOrWhiteSpace(identity.ProviderId) || string.IsNullOrWhiteSpace(identity.Subject))
            return await FailAsync(identity, "no-subject", refused, cancellationToken);

        var loginProvider = LoginProvider(identity.ProviderId);
        var key = ProviderKey(identity.Subject);
        var email = AccountService.IsEmail(identity.Email) ? identity.Email!.Trim() : null;
        // The default role is only for a provisioned account: an existing one keeps its roles unless a group maps.
        var groupRole = MappedRole(identity.Groups, policy);

        var user = await users.FindByLoginAsync(loginProvider, key);
        if (user is null && email is not null && await users.FindByEmailAsync(email) is { } byEmail)
        {
            // Same address, this tenant only. An account already linked to another subject of this provider is
            // someone else's: refused.
            if ((await users.GetLoginsAsync(byEmail)).Any(l => l.LoginProvider == loginProvider))
                return await FailAsync(identity, "e-mail-linked-to-other-subject", refused, cancellationToken);
            if (!byEmail.EmailConfirmed)
            {
                // Whoever signed up with this address never proved it: the password they chose goes; the provider
                // vouches for the address now.
                if (await users.HasPasswordAsync(byEmail))
                    await users.RemovePasswordAsync(byEmail);
                byEmail.EmailConfirmed = true;
                await users.UpdateAsync(byEmail);
            }
            var added = await users.AddLoginAsync(byEmail, new UserLoginInfo(loginProvider, key, identity.ProviderName));
            if (!added.Succeeded)
                return await FailAsync(identity, "link-failed", refused, cancellationToken);
            await events.RecordAsync(IdentityEvents.Actor(byEmail), Linked, byEmail.Id, after: new { provider = identity.ProviderId, by = "e-mail" }, cancellationToken: cancellationToken);
            user = byEmail;
        }
        if (user is null)
        {
            if (!policy.JustInTimeProvisioning)
                return await FailAsync(identity, "no-account", localizer["There is no account for you here yet. Ask the studio's owner to invite you."].Value, cancellationToken);
            if (email is null)
                return await FailAsync(identity, "no-e-mail", refused, cancellationToken);
            var role = groupRole ?? (policy.DefaultRole is { } d && AllowedRoles.Contains(d) ? d : null);
            if (role is null)
                return await FailAsync(identity, "no-role", refused, cancellationToken);
            var created = await accounts.CreateAsync(email, string.IsNullOrWhiteSpace(identity.DisplayName) ? email : identity.DisplayName!, [role],
                password: null, emailConfirmed: true, cancellationToken);
            if (!created.Succeeded || created.User is null)
                return await FailAsync(identity, "provisioning-refused", created.Error ?? refused, cancellationToken);
            user = created.User;
            var added = await users.AddLoginAsync(user, new UserLoginInfo(loginProvider, key, identity.ProviderName));
            if (!added.Succeeded)
                return await FailAsync(identity, "link-failed", refused, cancellationToken);
            await events.RecordAsync(IdentityEvents.Actor(user), Linked, user.Id, after: new { provider = identity.ProviderId, by = "provisioning" }, cancellationToken: cancellationToken);
        }
        else if (groupRole is not null)
            await ApplyRoleAsync(user, groupRole, policy, identity, cancellationToken);

        if (await users.IsLockedOutAsync(user))
            return await FailAsync(identity, "locked-out", refused, cancellationToken, user);
        if (!await signIn.CanSignInAsync(user))
            return await FailAsync(identity, "not-allowed", refused, cancellationToken, user);

        var trustedMfa = policy.TrustProviderMultiFactor && identity.MultiFactor;
        if (!trustedMfa && await users.GetTwoFactorEnabledAsync(user))
        {
            var result = await ((StudioSignInManager)signIn).SignInWithSecondFactorAsync(user, rememberMe);
            if (result.RequiresTwoFactor)
            {
                await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.SignInSucceeded, user.Id,
                    after: new { method = "sso", provider = identity.ProviderId, secondFactor = "required" }, cancellationToken: cancellationToken);
                return new ExternalSignInResult(false, true, null, user.Id);
            }
            if (!result.Succeeded)
                return await FailAsync(identity, "not-allowed", refused, cancellationToken, user);
        }
        else
            await signIn.SignInAsync(user, rememberMe, authenticationMethod: "sso");
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.SignInSucceeded, user.Id,
            after: new { method = "sso", provider = identity.ProviderId, providerMfa = identity.MultiFactor, trustedMfa }, cancellationToken: cancellationToken);
        return new ExternalSignInResult(true, false, null, user.Id);
    }

    private IReadOnlyList<string> AllowedRoles => tenant.IsDefault ? StudioRoles.Platform : StudioRoles.Studio;

    /// <summary>The role the person's groups map to (the most privileged one, in the tenant's role order), or null.</summary>
    private string? MappedRole(IReadOnlyList<string> groups, ExternalSignInPolicy policy)
    {
        var mapped = (groups ?? []).Select(g => policy.GroupRoles.TryGetValue(g, out var r) ? r : null).Where(r => r is not null && AllowedRoles.Contains(r)).ToHashSet();
        foreach (var role in AllowedRoles)
            if (mapped.Contains(role))
                return role;
        return null;
    }

    /// <summary>
    /// Gives the mapped role: the roles this provider's mapping manages (its targets and default) that the person's
    /// groups no longer give go. The last owner (operator) of the tenant is never demoted this way.
    /// </summary>
    private async Task ApplyRoleAsync(StudioUser user, string role, ExternalSignInPolicy policy, ExternalIdentity identity, CancellationToken cancellationToken)
    {
        var managed = policy.GroupRoles.Values.Append(policy.DefaultRole).Where(r => r is not null).Cast<string>().ToHashSet();
        var before = (await users.GetRolesAsync(user)).ToList();
        var keeper = tenant.IsDefault ? StudioRoles.Operator : StudioRoles.Owner;
        var remove = before.Where(r => r != role && managed.Contains(r)).ToList();
        if (remove.Contains(keeper) && await store.CountInRoleAsync(keeper, cancellationToken) <= 1)
        {
            logger.LogInformation("Kept the last {Role} of the tenant although the identity provider's groups no longer give it", keeper);
            remove.Remove(keeper);
        }
        var add = !before.Contains(role);
        if (remove.Count == 0 && !add)
            return;
        foreach (var r in remove)
            await users.RemoveFromRoleAsync(user, r);
        if (add)
            await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        var after = (await users.GetRolesAsync(user)).ToList();
        await events.RecordAsync(new AuditActor("sso:" + identity.ProviderId, identity.ProviderName), IdentityEvents.RolesChanged, user.Id,
            new { roles = before }, new { roles = after }, cancellationToken: cancellationToken);
    }

    private async Task<ExternalSignInResult> FailAsync(ExternalIdentity identity, string reason, string message, CancellationToken cancellationToken, StudioUser? user = null)
    {
        await events.RecordAsync(user is null ? new AuditActor("anonymous", Truncate(identity.Email ?? identity.Subject)) : IdentityEvents.Actor(user),
            IdentityEvents.SignInFailed, user?.Id ?? Truncate(identity.Email ?? identity.Subject),
            after: new { method = "sso", provider = identity.ProviderId, reason }, cancellationToken: cancellationToken);
        return new ExternalSignInResult(false, false, message, user?.Id);
    }

    private static string Truncate(string? value) => value is null ? "" : value.Length <= 256 ? value : value[..256];
}
