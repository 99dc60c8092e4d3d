using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Modules.Identity.Services;

namespace Studio.Modules.Identity.Pages.Admin.Staff;

/// <summary>
/// The studio's staff: list, invite by e-mail with a role, change a role, remove. Under /admin, so only owners and
/// admins reach it (the host's admin convention); giving or taking the owner role takes an owner.
/// </summary>
public sealed class IndexModel(AccountService accounts, IStringLocalizer<IndexModel> localizer) : PageModel
{
    public IReadOnlyList<(StudioUser User, IReadOnlyList<string> Roles)> Staff { get; private set; } = [];

    public IReadOnlyList<string> Roles => accounts.StaffRoles;

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public string? UserId { get; set; }

    [TempData]
    public string? Message { get; set; }

    private bool ActorIsOwner => User.IsInRole(StudioRoles.Owner);

    public async Task OnGetAsync(CancellationToken cancellationToken) => Staff = await accounts.ListStaffAsync(cancellationToken);

    public Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        if (Role == StudioRoles.Owner && !ActorIsOwner)
            return AccountResult.Fail(localizer["Only an owner can give or take the owner role."]);
        return await accounts.InviteAsync(Email ?? "", DisplayName ?? "", Role ?? "", cancellationToken);
    }, localizer["Invitation sent."], cancellationToken);

    public Task<IActionResult> OnPostRoleAsync(CancellationToken cancellationToken) =>
        RunAsync(() => accounts.ChangeRoleAsync(UserId ?? "", Role ?? "", ActorIsOwner, cancellationToken), localizer["Role changed."], cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) =>
        RunAsync(() => accounts.RemoveStaffAsync(UserId ?? "", ActorIsOwner, cancellationToken), localizer["Removed."], cancellationToken);

    private async Task<IActionResult> RunAsync(Func<Task<AccountResult>> action, LocalizedString success, CancellationToken cancellationToken)
    {
        var result = await action();
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error!);
            Staff = await accounts.ListStaffAsync(cancellationToken);
            return Page();
        }
        Message = success.Value;
        return RedirectToPage();
    }
}
