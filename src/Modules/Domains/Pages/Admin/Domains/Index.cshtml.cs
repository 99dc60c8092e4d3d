using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Platform;

namespace Studio.Modules.Domains.Pages.Admin.Domains;

/// <summary>
/// The studio's host names: list, add (shows the TXT record to create), verify, remove, mark primary. Under
/// /admin, so only the studio's owners and admins reach it (the host's admin convention). Everything goes through
/// <see cref="ITenantDomains"/>, bound to this tenant: a host of another studio is never reachable from here.
/// </summary>
public sealed class IndexModel(ITenantDomains domains, IStringLocalizer<IndexModel> localizer) : PageModel
{
    public IReadOnlyList<DomainInfo> Domains { get; private set; } = [];

    /// <summary>The record to create, after adding a host or a check that did not find it.</summary>
    public DomainTxtRecord? Pending { get; private set; }

    [BindProperty]
    public string? Host { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Domains = await domains.ListAsync(cancellationToken);

    public Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        Pending = await domains.RequestAsync(Host ?? "", cancellationToken);
        ModelState.Clear();
        Message = localizer["Create the DNS record below, then press \"Verify\"."];
        return await PageAsync(cancellationToken);
    }, cancellationToken);

    public Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var result = await domains.VerifyAsync(Host ?? "", cancellationToken);
        if (result.Succeeded)
        {
            Message = localizer["'{0}' is verified: it now shows this studio.", result.Txt.Host];
            return RedirectToPage();
        }
        Pending = result.Txt;
        ModelState.AddModelError("", result.Status switch
        {
            DomainVerificationStatus.WrongToken => localizer["Not verified yet: the TXT record at {0} does not have the value {1}.", result.Txt.Name, result.Txt.Value],
            DomainVerificationStatus.Unreachable => localizer["Not verified yet: DNS did not answer. Try again in a minute."],
            _ => localizer["Not verified yet: there is no TXT record at {0}. DNS changes can take a while to show; try again later.", result.Txt.Name],
        });
        return await PageAsync(cancellationToken);
    }, cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await domains.RemoveAsync(Host ?? "", cancellationToken);
        Message = localizer["'{0}' was removed.", Host ?? ""];
        return RedirectToPage();
    }, cancellationToken);

    public Task<IActionResult> OnPostPrimaryAsync(CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await domains.SetPrimaryAsync(Host, cancellationToken);
        Message = string.IsNullOrWhiteSpace(Host)
            ? localizer["No host is primary now: every host name shows the studio."]
            : localizer["'{0}' is the primary host: the others redirect to it.", Host];
        return RedirectToPage();
    }, cancellationToken);

    private async Task<IActionResult> RunAsync(Func<Task<IActionResult>> action, CancellationToken cancellationToken)
    {
        try { return await action(); }
        catch (PlatformValidationException e)
        {
            foreach (var error in e.Errors)
                ModelState.AddModelError("", error);
        }
        catch (PlatformConcurrencyException)
        {
            ModelState.AddModelError("", localizer["Someone else changed this studio at the same time. Please try again."]);
        }
        return await PageAsync(cancellationToken);
    }

    private async Task<IActionResult> PageAsync(CancellationToken cancellationToken)
    {
        Domains = await domains.ListAsync(cancellationToken);
        return Page();
    }
}
