using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Api.Services;
using Studio.Platform;

namespace Studio.Modules.Api.Pages.Admin.ApiKeys;

/// <summary>
/// The operator's API keys: create (the key is shown once, on the answer to the POST, and never again), list,
/// revoke. Creation and revocation are audited in the Default tenant's trail.
/// </summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed partial class IndexModel(ApiKeyStore keys, IStringLocalizer<IndexModel> localizer) : PageModel
{
    public IReadOnlyList<ApiKeyInfo> Keys { get; private set; } = [];

    /// <summary>The key just created: only in the response to the create POST.</summary>
    public CreatedApiKey? Created { get; private set; }

    [BindProperty]
    public string? Name { get; set; }

    /// <summary>Empty: a platform key; otherwise the reseller id the key is confined to.</summary>
    [BindProperty]
    public string? Reseller { get; set; }

    [BindProperty]
    public string? KeyId { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Keys = await keys.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var name = (Name ?? "").Trim();
        var reseller = string.IsNullOrWhiteSpace(Reseller) ? null : Reseller.Trim();
        if (name.Length is 0 or > 200)
            ModelState.AddModelError(nameof(Name), localizer["Give the key a name (up to 200 characters)."]);
        if (reseller is not null)
        {
            if (!ResellerIdRegex().IsMatch(reseller))
                ModelState.AddModelError(nameof(Reseller), localizer["A reseller id is lower-case letters, digits and hyphens."]);
            else if (HttpContext.RequestServices.GetService<IResellerDirectory>() is { } resellers
                && await resellers.GetAsync(reseller, cancellationToken) is null)
                ModelState.AddModelError(nameof(Reseller), localizer["There is no reseller '{0}'.", reseller]);
        }
        if (!ModelState.IsValid)
        {
            Keys = await keys.ListAsync(cancellationToken);
            return Page();
        }

        Created = await keys.CreateAsync(name, reseller, User.Identity?.Name ?? "operator", cancellationToken);
        await AuditAsync("api.key.created", Created.Info.Id, new { Created.Info.Name, Created.Info.Prefix, Created.Info.Reseller }, cancellationToken);
        Keys = await keys.ListAsync(cancellationToken);
        // No redirect: the key is in this answer only, and is not kept anywhere it could be shown again (the page's
        // antiforgery token already makes the answer no-store).
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(KeyId ?? "", cancellationToken);
        if (key is null || !await keys.RevokeAsync(key.Id, cancellationToken))
        {
            Message = localizer["That key does not exist or is already revoked."];
            return RedirectToPage();
        }
        await AuditAsync("api.key.revoked", key.Id, new { key.Name, key.Prefix, key.Reseller }, cancellationToken);
        Message = localizer["Key revoked: it no longer works."];
        return RedirectToPage();
    }

    private async Task AuditAsync(string action, string keyId, object after, CancellationToken cancellationToken)
    {
        if (HttpContext.RequestServices.GetService<IAuditTrail>() is not { } trail)
            return;
        await trail.RecordAsync(new AuditRecord(AuditActor.FromPrincipal(User, AuditActor.Anonymous), action, "apikey:" + keyId, After: after,
            Ip: HttpContext.Connection.RemoteIpAddress?.ToString(), UserAgent: Request.Headers.UserAgent.ToString()), cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial System.Text.RegularExpressions.Regex ResellerIdRegex();
}
