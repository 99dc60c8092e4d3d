using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Identity.Settings;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>The outcome of an account operation: success, or one message for the page (already in the visitor's language).</summary>
public sealed record AccountResult(bool Succeeded, string? Error = null, StudioUser? User = null)
{
    public static AccountResult Ok(StudioUser? user = null) => new(true, null, user);
    public static AccountResult Fail(string error) => new(false, error);

    /// <summary>A failure with a localized message.</summary>
    public static AccountResult Fail(LocalizedString error) => new(false, error.Value);
}

/// <summary>A password sign-in refused by an <see cref="IPasswordSignInPolicy"/> although the password was right.</summary>
public sealed class PolicyRefusedSignInResult : SignInResult
{
    public PolicyRefusedSignInResult(string message)
    {
        Message = message;
        IsNotAllowed = true;
    }

    /// <summary>The policy's localized message (e.g. "Sign in with your organisation's account").</summary>
    public string Message { get; }
}

/// <summary>
/// The account operations behind the pages and the recipe step: sign-in with lockout and auditing, links by
/// e-mail, invitations, roles. Answers never tell whether an address has an account, where that matters.
/// </summary>
public sealed class AccountService(
    UserManager<StudioUser> users,
    SignInManager<StudioUser> signIn,
    UserStore store,
    OneTimeLinks links,
    AccountEmails emails,
    IdentityEvents events,
    IOptions<IdentitySettings> settings,
    TenantContext tenant,
    IPlanLimits planLimits,
    IEnumerable<IPasswordSignInPolicy> passwordPolicies,
    IStringLocalizer<AccountService> localizer,
    ILogger<AccountService> logger)
{
    /// <summary>The first refusal of a registered <see cref="IPasswordSignInPolicy"/> (e.g. SSO-only staff), or null when passwords, links and resets are allowed.</summary>
    public async Task<string?> PasswordRefusalAsync(StudioUser user, CancellationToken cancellationToken = default)
    {
        foreach (var policy in passwordPolicies)
            if (await policy.RefusalAsync(user, cancellationToken) is { } refusal)
                return refusal;
        return null;
    }

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<StudioUser>().HashPassword(new StudioUser(), Guid.NewGuid().ToString()));

    private StudioSignInManager StudioSignIn => (StudioSignInManager)signIn;

    /// <summary>Roles that may be given in this tenant.</summary>
    public IReadOnlyList<string> AllowedRoles => store.AllowedRoles;

    /// <summary>The role a tenant cannot be left without: owner in a studio, operator on the platform.</summary>
    private string KeeperRole => tenant.IsDefault ? StudioRoles.Operator : StudioRoles.Owner;

    /// <summary>The staff roles of this tenant (platform roles in the Default tenant).</summary>
    public IReadOnlyList<string> StaffRoles => tenant.IsDefault ? StudioRoles.Platform : StudioRoles.Staff;

    public Task<StudioUser?> FindByEmailAsync(string email) => users.FindByEmailAsync(email.Trim());

    /// <summary>Creates an account with roles; <paramref name="password"/> null leaves it without one (invitation).</summary>
    public async Task<AccountResult> CreateAsync(string email, string displayName, IReadOnlyList<string> roles, string? password, bool emailConfirmed, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        foreach (var role in roles)
            if (!AllowedRoles.Contains(role))
                return AccountResult.Fail(localizer["The role \"{0}\" cannot be given in this tenant.", localizer[StudioRoles.Label(role)].Value]);
        // The plan's staff-accounts limit counts every account holding a staff role, invited ones (no password
        // yet) included; asked before anything is written, so a refusal leaves no account and sends nothing.
        // Count and create are serialised per tenant in this process, so two invitations sent at once cannot both
        // take the last seat (across instances the window stays: a seat may be exceeded by a simultaneous one).
        if (!tenant.IsDefault && roles.Any(StudioRoles.Staff.Contains))
        {
            var gate = StaffGates.GetOrAdd(tenant.Name, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                var staff = (await store.ListWithRolesAsync(StudioRoles.Staff, cancellationToken)).Count;
                try { await planLimits.EnsureWithinAsync(PlanLimitKeys.StaffAccounts, staff + 1, cancellationToken); }
                catch (PlanLimitExceededException e) { return AccountResult.Fail(e.Message); }
                return await CreateCoreAsync(email, displayName, roles, password, emailConfirmed, cancellationToken);
            }
            finally { gate.Release(); }
        }
        return await CreateCoreAsync(email, displayName, roles, password, emailConfirmed, cancellationToken);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> StaffGates = new(StringComparer.Ordinal);

    private async Task<AccountResult> CreateCoreAsync(string email, string displayName, IReadOnlyList<string> roles, string? password, bool emailConfirmed, CancellationToken cancellationToken)
    {
        var user = new StudioUser
        {
            UserName = email,
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            EmailConfirmed = emailConfirmed,
            LockoutEnabled = true,
            CreatedUtc = DateTime.UtcNow,
        };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
            return AccountResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));
        foreach (var role in roles)
            await users.AddToRoleAsync(user, role);
        await events.RecordAsync(events.CurrentActor(), IdentityEvents.UserCreated, user.Id, after: new { user.Email, roles }, cancellationToken: cancellationToken);
        return AccountResult.Ok(user);
    }

    /// <summary>Password sign-in with lockout. The audit entry of a failure names the attempted address, never the password.</summary>
    public async Task<SignInResult> PasswordSignInAsync(string email, string password, bool remember, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend the time a real check takes, so the answer's delay does not tell which addresses have accounts.
            users.PasswordHasher.VerifyHashedPassword(new StudioUser(), DummyHash.Value, password ?? "");
            await events.RecordAsync(new AuditActor("anonymous", Truncate(email)), IdentityEvents.SignInFailed, Truncate(email), after: new { reason = "unknown" }, cancellationToken: cancellationToken);
            return SignInResult.Failed;
        }
        var wasLocked = await users.IsLockedOutAsync(user);
        if (await PasswordRefusalAsync(user, cancellationToken) is { } refusal)
        {
            // The password is still checked (with lockout) so the refusal's message tells nothing to someone who
            // does not know it; it is never used to sign in.
            var checkedPassword = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: true);
            await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.SignInFailed, user.Email,
                after: new { reason = checkedPassword.Succeeded ? "password-refused-by-policy" : "password" }, cancellationToken: cancellationToken);
            return checkedPassword.Succeeded ? new PolicyRefusedSignInResult(refusal) : checkedPassword;
        }
        var result = await signIn.PasswordSignInAsync(user, password, remember, lockoutOnFailure: true);
        if (result.Succeeded)
            await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.SignInSucceeded, user.Id, after: new { method = "password" }, cancellationToken: cancellationToken);
        else if (result.RequiresTwoFactor)
            await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.SignInSucceeded, user.Id, after: new { method = "password", secondFactor = "required" }, cancellationToken: cancellationToken);
        else
        {
            await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.SignInFailed, user.Email,
                after: new { reason = result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "not-allowed" : "password" }, cancellationToken: cancellationToken);
            if (result.IsLockedOut && !wasLocked)
            {
                logger.LogInformation("Account {UserId} locked out after failed sign-in attempts", user.Id);
                await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.LockedOut, user.Id,
                    after: new { until = user.LockoutEnd?.UtcDateTime }, cancellationToken: cancellationToken);
            }
        }
        return result;
    }

    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        var actor = events.CurrentActor();
        await signIn.SignOutAsync();
        await events.RecordAsync(actor, IdentityEvents.SignedOut, actor.Id, cancellationToken: cancellationToken);
    }

    /// <summary>Sends a magic sign-in link when the address has an account; the caller answers the same either way.</summary>
    public async Task RequestMagicLinkAsync(string email, string? returnUrl, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        if (user is null || await users.IsLockedOutAsync(user) || await PasswordRefusalAsync(user, cancellationToken) is not null)
            return;
        var lifetime = settings.Value.MagicLinkLifetime;
        var token = await links.IssueAsync(OneTimeLinks.MagicLink, user.Id, lifetime, cancellationToken);
        var link = emails.Link("/account/magic-link", new Dictionary<string, string?> { ["token"] = token, ["returnUrl"] = returnUrl });
        await emails.SendAsync(AccountEmails.MagicLink, user, new Dictionary<string, string>
        {
            ["link"] = link,
            ["minutes"] = ((int)Math.Ceiling(lifetime.TotalMinutes)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.MagicLinkIssued, user.Id, cancellationToken: cancellationToken);
    }

    /// <summary>Uses a magic link once: signs in (or starts the two-factor step). Null result: the link is invalid, used or expired.</summary>
    public async Task<SignInResult?> RedeemMagicLinkAsync(string? token, CancellationToken cancellationToken = default)
    {
        var userId = await links.RedeemAsync(OneTimeLinks.MagicLink, token, cancellationToken);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null)
            return null;
        // A link sent before the tenant went SSO-only is not a way around it.
        if (await PasswordRefusalAsync(user, cancellationToken) is not null)
        {
            await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.MagicLinkUsed, user.Id, after: new { outcome = "refused-by-policy" }, cancellationToken: cancellationToken);
            return null;
        }
        if (!user.EmailConfirmed)
        {
            // The link reached the mailbox: that confirms the address.
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        var result = await StudioSignIn.SignInWithSecondFactorAsync(user, isPersistent: false);
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.MagicLinkUsed, user.Id,
            after: new { outcome = result.Succeeded ? "signed-in" : result.RequiresTwoFactor ? "second-factor" : "refused" }, cancellationToken: cancellationToken);
        return result;
    }

    /// <summary>Sends a password-reset link when the address has an account; the caller answers the same either way.</summary>
    public async Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrWhiteSpace(email) ? null : await users.FindByEmailAsync(email.Trim());
        if (user is null || await PasswordRefusalAsync(user, cancellationToken) is not null)
            return;
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var link = emails.Link("/account/reset-password", new Dictionary<string, string?> { ["user"] = user.Id, ["token"] = token });
        await emails.SendAsync(AccountEmails.PasswordReset, user, new Dictionary<string, string> { ["link"] = link }, cancellationToken);
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.PasswordResetRequested, user.Id, cancellationToken: cancellationToken);
    }

    public async Task<AccountResult> ResetPasswordAsync(string? userId, string? token, string password, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrEmpty(userId) ? null : await users.FindByIdAsync(userId);
        if (user is null || string.IsNullOrEmpty(token))
            return AccountResult.Fail(localizer["This link is not valid any more. Ask for a new one."]);
        if (await PasswordRefusalAsync(user, cancellationToken) is { } refusal)
            return AccountResult.Fail(refusal);
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
            return AccountResult.Fail(result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? localizer["This link is not valid any more. Ask for a new one."].Value
                : string.Join(" ", result.Errors.Select(e => e.Description)));
        // Following the link proves the mailbox; a locked account is opened again by its owner.
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.PasswordReset, user.Id, cancellationToken: cancellationToken);
        return AccountResult.Ok(user);
    }

    public async Task<AccountResult> ChangePasswordAsync(StudioUser user, string current, string next, CancellationToken cancellationToken = default)
    {
        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded)
            return AccountResult.Fail(string.Join(" ", result.Errors.Select(e => e.Description)));
        // The security stamp changed: every other session ends; this one is re-issued.
        await signIn.RefreshSignInAsync(user);
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.PasswordChanged, user.Id, cancellationToken: cancellationToken);
        return AccountResult.Ok(user);
    }

    /// <summary>Sends the e-mail confirmation link.</summary>
    /// <param name="user">The account.</param>
    /// <param name="returnUrl">A local URL the confirmation page offers to sign in back to (e.g. a held booking), or null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task SendConfirmationAsync(StudioUser user, string? returnUrl = null, CancellationToken cancellationToken = default)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var query = new Dictionary<string, string?> { ["user"] = user.Id, ["token"] = token };
        if (Studio.Security.LocalUrls.IsLocalPath(returnUrl))
            query["returnUrl"] = returnUrl;
        var link = emails.Link("/account/confirm-email", query);
        await emails.SendAsync(AccountEmails.ConfirmEmail, user, new Dictionary<string, string> { ["link"] = link }, cancellationToken);
    }

    public async Task<bool> ConfirmEmailAsync(string? userId, string? token, CancellationToken cancellationToken = default)
    {
        var user = string.IsNullOrEmpty(userId) ? null : await users.FindByIdAsync(userId);
        if (user is null || string.IsNullOrEmpty(token))
            return false;
        if (!(await users.ConfirmEmailAsync(user, token)).Succeeded)
            return false;
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.EmailConfirmed, user.Id, cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>
    /// Client sign-up: creates the account when the address is new and sends the confirmation; the answer is the same
    /// either way. A local <paramref name="returnUrl"/> travels in the confirmation link, so the new client signs in
    /// and lands back where they started (e.g. their held booking).
    /// </summary>
    public async Task<AccountResult> SignUpAsync(string email, string displayName, string password, string? returnUrl = null, CancellationToken cancellationToken = default)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, new StudioUser(), password);
            if (!check.Succeeded)
                return AccountResult.Fail(string.Join(" ", check.Errors.Select(e => e.Description)));
        }
        if (await users.FindByEmailAsync(email.Trim()) is not null)
            return AccountResult.Ok();
        var created = await CreateAsync(email, displayName, [StudioRoles.Client], password, emailConfirmed: false, cancellationToken);
        if (created.Succeeded)
            await SendConfirmationAsync(created.User!, returnUrl, cancellationToken);
        return created.Succeeded ? AccountResult.Ok() : created;
    }

    /// <summary>Invites a member of staff by e-mail with a role.</summary>
    public async Task<AccountResult> InviteAsync(string email, string displayName, string role, CancellationToken cancellationToken = default)
    {
        if (!StaffRoles.Contains(role))
            return AccountResult.Fail(localizer["Choose one of the staff roles."]);
        if (!IsEmail(email))
            return AccountResult.Fail(localizer["Enter a valid e-mail address."]);
        if (await users.FindByEmailAsync(email.Trim()) is not null)
            return AccountResult.Fail(localizer["This address already has an account."]);
        var created = await CreateAsync(email, displayName, [role], password: null, emailConfirmed: false, cancellationToken);
        if (!created.Succeeded)
            return created;
        await SendInvitationAsync(created.User!, cancellationToken);
        return created;
    }

    /// <summary>(Re)sends the invitation of an account without a password.</summary>
    public async Task SendInvitationAsync(StudioUser user, CancellationToken cancellationToken = default)
    {
        await links.RevokeAsync(OneTimeLinks.Invitation, user.Id, cancellationToken);
        var token = await links.IssueAsync(OneTimeLinks.Invitation, user.Id, settings.Value.InvitationLifetime, cancellationToken);
        var inviter = events.CurrentActor();
        await emails.SendAsync(AccountEmails.Invitation, user, new Dictionary<string, string>
        {
            ["inviter"] = inviter.Id == "anonymous" ? tenant.DisplayName : inviter.Name,
            ["link"] = emails.Link("/account/invitation", new Dictionary<string, string?> { ["token"] = token }),
        }, cancellationToken);
        await events.RecordAsync(inviter, IdentityEvents.InvitationSent, user.Id, after: new { user.Email, roles = await users.GetRolesAsync(user) }, cancellationToken: cancellationToken);
    }

    /// <summary>The invited account behind a valid invitation token, or null.</summary>
    public async Task<StudioUser?> FindInvitationAsync(string? token, CancellationToken cancellationToken = default) =>
        await links.PeekAsync(OneTimeLinks.Invitation, token, cancellationToken) is { } id ? await users.FindByIdAsync(id) : null;

    /// <summary>Accepts an invitation: sets the password, confirms the address, uses the token, signs in.</summary>
    public async Task<AccountResult> AcceptInvitationAsync(string? token, string password, CancellationToken cancellationToken = default)
    {
        var user = await FindInvitationAsync(token, cancellationToken);
        if (user is null)
            return AccountResult.Fail(localizer["This invitation is not valid any more. Ask for a new one."]);
        if (await PasswordRefusalAsync(user, cancellationToken) is { } refusal)
            return AccountResult.Fail(refusal);
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
                return AccountResult.Fail(string.Join(" ", check.Errors.Select(e => e.Description)));
        }
        if (await links.RedeemAsync(OneTimeLinks.Invitation, token, cancellationToken) is null)
            return AccountResult.Fail(localizer["This invitation is not valid any more. Ask for a new one."]);
        if (await users.HasPasswordAsync(user))
            await users.RemovePasswordAsync(user);
        var added = await users.AddPasswordAsync(user, password);
        if (!added.Succeeded)
            return AccountResult.Fail(string.Join(" ", added.Errors.Select(e => e.Description)));
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await events.RecordAsync(IdentityEvents.Actor(user), IdentityEvents.InvitationAccepted, user.Id, cancellationToken: cancellationToken);
        await StudioSignIn.SignInWithSecondFactorAsync(user, isPersistent: false);
        return AccountResult.Ok(user);
    }

    /// <summary>Staff of this tenant with their roles.</summary>
    public Task<IReadOnlyList<(StudioUser User, IReadOnlyList<string> Roles)>> ListStaffAsync(CancellationToken cancellationToken = default) =>
        store.ListWithRolesAsync(StaffRoles, cancellationToken);

    /// <summary>Gives a member of staff another role (audited before/after); their sessions end.</summary>
    public async Task<AccountResult> ChangeRoleAsync(string userId, string role, bool actorIsOwner, CancellationToken cancellationToken = default)
    {
        if (!StaffRoles.Contains(role))
            return AccountResult.Fail(localizer["Choose one of the staff roles."]);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return AccountResult.Fail(localizer["There is no such member of staff."]);
        var before = (await users.GetRolesAsync(user)).ToList();
        var staffBefore = before.Where(StaffRoles.Contains).ToList();
        if (staffBefore.Count == 0)
            return AccountResult.Fail(localizer["There is no such member of staff."]);
        if ((role == StudioRoles.Owner || staffBefore.Contains(StudioRoles.Owner)) && !actorIsOwner && !tenant.IsDefault)
            return AccountResult.Fail(localizer["Only an owner can give or take the owner role."]);
        if (staffBefore.Contains(KeeperRole) && role != KeeperRole && await store.CountInRoleAsync(KeeperRole, cancellationToken) <= 1)
            return AccountResult.Fail(tenant.IsDefault ? localizer["The platform needs at least one operator."] : localizer["The studio needs at least one owner."]);
        foreach (var old in staffBefore.Where(r => r != role))
            await users.RemoveFromRoleAsync(user, old);
        if (!staffBefore.Contains(role))
            await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        var after = (await users.GetRolesAsync(user)).ToList();
        await events.RecordAsync(events.CurrentActor(), IdentityEvents.RolesChanged, user.Id, new { roles = before }, new { roles = after }, cancellationToken: cancellationToken);
        return AccountResult.Ok(user);
    }

    /// <summary>Removes a member of staff: their staff roles go (the account too when nothing else is left); their sessions end.</summary>
    public async Task<AccountResult> RemoveStaffAsync(string userId, bool actorIsOwner, CancellationToken cancellationToken = default)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return AccountResult.Fail(localizer["There is no such member of staff."]);
        var before = (await users.GetRolesAsync(user)).ToList();
        if (before.Contains(StudioRoles.Owner) && !actorIsOwner && !tenant.IsDefault)
            return AccountResult.Fail(localizer["Only an owner can give or take the owner role."]);
        if (before.Contains(KeeperRole) && await store.CountInRoleAsync(KeeperRole, cancellationToken) <= 1)
            return AccountResult.Fail(tenant.IsDefault ? localizer["The platform needs at least one operator."] : localizer["The studio needs at least one owner."]);
        var remaining = before.Where(r => !StaffRoles.Contains(r)).ToList();
        if (remaining.Count == 0)
            await users.DeleteAsync(user);
        else
        {
            foreach (var role in before.Where(StaffRoles.Contains))
                await users.RemoveFromRoleAsync(user, role);
            await users.UpdateSecurityStampAsync(user);
        }
        await events.RecordAsync(events.CurrentActor(), IdentityEvents.RolesChanged, user.Id, new { roles = before }, new { roles = remaining }, cancellationToken: cancellationToken);
        if (remaining.Count == 0)
            await events.RecordAsync(events.CurrentActor(), IdentityEvents.UserRemoved, user.Id, before: new { user.Email }, cancellationToken: cancellationToken);
        return AccountResult.Ok(user);
    }

    /// <summary>Whether this (Default) tenant has an operator yet.</summary>
    public async Task<bool> HasOperatorAsync(CancellationToken cancellationToken = default) =>
        tenant.IsDefault && await store.CountInRoleAsync(StudioRoles.Operator, cancellationToken) > 0;

    internal static bool IsEmail(string? email) =>
        !string.IsNullOrWhiteSpace(email) && email.Length <= 256 && new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email.Trim());

    private static string Truncate(string? value) => value is null ? "" : value.Length <= 256 ? value : value[..256];
}
