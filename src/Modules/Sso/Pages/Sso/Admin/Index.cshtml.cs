using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Pages.Sso.Admin;

/// <summary>The tenant's identity providers and the SSO-only setting (under /admin: owners and admins, by the host's rule).</summary>
public sealed class IndexModel(ISsoProviderStore store, TenantContext tenant, IStringLocalizer<IndexModel> localizer) : PageModel
{
    [TempData] public string? Message { get; set; }
    [BindProperty] public bool SsoOnlyStaff { get; set; }

    public IReadOnlyList<SsoProvider> Providers { get; private set; } = [];
    public bool SamlEnabled => tenant.IsFeatureEnabled("Studio.Sso.Saml");
    public bool OidcEnabled => tenant.IsFeatureEnabled("Studio.Sso.Oidc");

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Providers = await store.ListAsync(cancellationToken);
        SsoOnlyStaff = (await store.GetSettingsAsync(cancellationToken)).SsoOnlyStaff;
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveSettingsAsync(new SsoSettings(SsoOnlyStaff), AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
        }
        catch (SsoValidationException e)
        {
            ModelState.AddModelError(nameof(SsoOnlyStaff), e.Message);
            Providers = await store.ListAsync(cancellationToken);
            return Page();
        }
        Message = SsoOnlyStaff ? localizer["Staff now sign in through an identity provider only."] : localizer["Staff may sign in with a password again."];
        return Redirect(Url.Content("~/admin/sso"));
    }
}
