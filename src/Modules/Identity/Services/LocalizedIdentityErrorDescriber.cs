using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// ASP.NET Core Identity's error messages (weak password, address taken, invalid link…) in the visitor's language:
/// the pages show them as they are, so the describer writes them through the localizer. The codes stay Identity's.
/// </summary>
public sealed class LocalizedIdentityErrorDescriber(IStringLocalizer<LocalizedIdentityErrorDescriber> localizer) : IdentityErrorDescriber
{
    private IdentityError Error(string code, LocalizedString description) => new() { Code = code, Description = description.Value };

    public override IdentityError DefaultError() => Error(nameof(DefaultError), localizer["Something went wrong. Try again."]);
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), localizer["Someone else changed this account meanwhile. Reload the page and try again."]);
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), localizer["The password is not correct."]);
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), localizer["This link is not valid any more. Ask for a new one."]);
    public override IdentityError RecoveryCodeRedemptionFailed() => Error(nameof(RecoveryCodeRedemptionFailed), localizer["This recovery code is not valid."]);
    public override IdentityError LoginAlreadyAssociated() => Error(nameof(LoginAlreadyAssociated), localizer["This sign-in is already linked to another account."]);
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), localizer["\"{0}\" cannot be used as a user name.", userName ?? ""]);
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), localizer["\"{0}\" is not a valid e-mail address.", email ?? ""]);
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), localizer["The address {0} already has an account.", userName]);
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), localizer["The address {0} already has an account.", email]);
    public override IdentityError InvalidRoleName(string? role) => Error(nameof(InvalidRoleName), localizer["\"{0}\" is not a valid role.", role ?? ""]);
    public override IdentityError DuplicateRoleName(string role) => Error(nameof(DuplicateRoleName), localizer["The role \"{0}\" exists already.", role]);
    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), localizer["This account already has a password."]);
    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), localizer["This account cannot be locked."]);
    public override IdentityError UserAlreadyInRole(string role) => Error(nameof(UserAlreadyInRole), localizer["This account already has the role \"{0}\".", role]);
    public override IdentityError UserNotInRole(string role) => Error(nameof(UserNotInRole), localizer["This account does not have the role \"{0}\".", role]);
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), localizer["Passwords must be at least {0} characters.", length]);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), localizer["Passwords must use at least {0} different characters.", uniqueChars]);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), localizer["Passwords must have at least one character that is neither a letter nor a digit."]);
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), localizer["Passwords must have at least one digit (0–9)."]);
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), localizer["Passwords must have at least one lower-case letter (a–z)."]);
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), localizer["Passwords must have at least one upper-case letter (A–Z)."]);
}
