using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Tenancy;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Reseller accounts of the Default tenant: the reseller id is written on the account row at creation, from the
/// operator's request, and is never taken from the account's own input afterwards.
/// </summary>
public sealed class ResellerAccounts(UserManager<StudioUser> users, UserStore store, AccountService accounts, IdentityEvents events, TenantContext tenant,
    IStringLocalizer<ResellerAccounts> localizer)
    : IResellerAccounts
{
    public async Task<IReadOnlyList<ResellerAccount>> ListAsync(string resellerId, CancellationToken cancellationToken = default) =>
        (await store.ListWithRolesAsync([StudioRoles.Reseller], cancellationToken))
            .Where(p => string.Equals(p.User.ResellerId, resellerId, StringComparison.Ordinal))
            .Select(p => new ResellerAccount(p.User.Id, p.User.Email ?? "", p.User.DisplayName, resellerId, Invited: p.User.PasswordHash is null))
            .ToList();

    public async Task<string?> CreateAsync(string email, string displayName, string resellerId, string? password, CancellationToken cancellationToken = default)
    {
        if (!tenant.IsDefault)
            return localizer["Reseller accounts live in the platform's own tenant."];
        if (string.IsNullOrWhiteSpace(resellerId))
            return localizer["Choose a reseller."];
        if (!AccountService.IsEmail(email))
            return localizer["Enter a valid e-mail address."];
        email = email.Trim();
        if (await users.FindByEmailAsync(email) is not null)
            return localizer["This address already has an account."];
        var user = new StudioUser
        {
            UserName = email,
            Email = email,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            // With a password the operator vouches for the address; an invitation confirms it when accepted.
            EmailConfirmed = password is not null,
            LockoutEnabled = true,
            CreatedUtc = DateTime.UtcNow,
            ResellerId = resellerId.Trim(),
        };
        // The password is validated before the row is written: a weak one creates nothing.
        var result = string.IsNullOrEmpty(password) ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!result.Succeeded)
            return string.Join(" ", result.Errors.Select(e => e.Description));
        await users.AddToRoleAsync(user, StudioRoles.Reseller);
        await events.RecordAsync(events.CurrentActor(), IdentityEvents.UserCreated, user.Id,
            after: new { user.Email, roles = new[] { StudioRoles.Reseller }, reseller = user.ResellerId, invited = string.IsNullOrEmpty(password) }, cancellationToken: cancellationToken);
        if (string.IsNullOrEmpty(password))
            await accounts.SendInvitationAsync(user, cancellationToken);
        return null;
    }
}
