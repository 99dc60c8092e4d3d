using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Identity.Services;

namespace Studio.Modules.Identity.Pages.Account;

/// <summary>Changes the signed-in user's password; their other sessions end.</summary>
[Authorize]
public sealed class PasswordModel(AccountService accounts, UserManager<StudioUser> users, IStringLocalizer<PasswordModel> localizer) : AccountPage
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    public bool Done { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
            return Challenge();
        if (string.IsNullOrEmpty(CurrentPassword) || string.IsNullOrEmpty(NewPassword))
        {
            ModelState.AddModelError("", localizer["Enter your current password and a new one."]);
            return Page();
        }
        var result = await accounts.ChangePasswordAsync(user, CurrentPassword, NewPassword, cancellationToken);
        (CurrentPassword, NewPassword) = (null, null);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            return Page();
        }
        Done = true;
        return Page();
    }
}
