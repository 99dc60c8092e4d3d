using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Modules.Sso.Services.Saml;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Pages.Sso.Admin;

/// <summary>The tenant's identity providers and the SSO-only setting (under /admin: owners and admins, by the host's rule).</summary>
public sealed class IndexModel(ISsoProviderStore store, TenantContext tenant, IAuditTrail audit, IStringLocalizer<IndexModel> localizer) : PageModel
{
    [TempData] public string? Message { get; set; }
    [BindProperty] public bool SsoOnlyStaff { get; set; }

    public IReadOnlyList<SsoProvider> Providers { get; private set; } = [];
    public bool SamlEnabled => tenant.IsFeatureEnabled("Studio.Sso.Saml");
    /// <summary>The Default (operator) tenant, where SSO-only never binds operators.</summary>
    public bool IsOperatorTenant => tenant.IsDefault;
    public bool OidcEnabled => tenant.IsFeatureEnabled("Studio.Sso.Oidc");

    /// <summary>The SP signing keys the tenant's SAML metadata publishes (active first, then the next one); empty without SAML.</summary>
    public IReadOnlyList<SpKeyView> SpKeys { get; private set; } = [];

    /// <summary>One SP key as the admin sees it: SHA-256 thumbprint, expiry and status (active | next).</summary>
    public sealed record SpKeyView(string Thumbprint, DateTime NotAfterUtc, string Status);

    /// <summary>The SP key store, when the SAML feature (which registers it) is on.</summary>
    private SpKeyStore? Keys => SamlEnabled ? HttpContext.RequestServices.GetService(typeof(SpKeyStore)) as SpKeyStore : null;

    /// <summary>Providers whose last IdP metadata refresh failed (SAML only).</summary>
    public IReadOnlyDictionary<string, SamlMetadataFetcher.RefreshFailure> MetadataFailures { get; private set; } =
        new Dictionary<string, SamlMetadataFetcher.RefreshFailure>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Providers = await store.ListAsync(cancellationToken);
        if (SamlEnabled && HttpContext.RequestServices.GetService(typeof(SamlMetadataFetcher)) is SamlMetadataFetcher fetcher)
            MetadataFailures = await fetcher.FailuresAsync(cancellationToken);
        SsoOnlyStaff = (await store.GetSettingsAsync(cancellationToken)).SsoOnlyStaff;
        await LoadKeysAsync(cancellationToken);
    }

    /// <summary>Publishes a next SP key in the metadata (IdPs that refresh it learn it before it signs anything).</summary>
    public async Task<IActionResult> OnPostCreateNextKeyAsync(CancellationToken cancellationToken)
    {
        if (Keys is not { } keys)
            return NotFound();
        var before = (await keys.PublishedAsync(cancellationToken)).FirstOrDefault(k => k.Status == SpKeyStore.Next);
        var next = await keys.CreateNextAsync(cancellationToken);
        if (before is null)
            await audit.RecordAsync(new AuditRecord(AuditActor.FromPrincipal(User, AuditActor.Anonymous), "sso.saml.sp-key.next-published", "sso:sp-keys",
                After: new { thumbprint = Thumbprint(next.CertificatePem), notAfterUtc = next.NotAfterUtc }), cancellationToken);
        Message = before is null ? localizer["A next key is published in the SP metadata."] : localizer["A next key is already published."];
        return Redirect(Url.Content("~/admin/sso"));
    }

    /// <summary>The next key becomes the active one (signing and decryption); the old active key is retired.</summary>
    public async Task<IActionResult> OnPostPromoteNextKeyAsync(CancellationToken cancellationToken)
    {
        if (Keys is not { } keys)
            return NotFound();
        var published = await keys.PublishedAsync(cancellationToken);
        var (active, next) = (published.FirstOrDefault(k => k.Status == SpKeyStore.Active), published.FirstOrDefault(k => k.Status == SpKeyStore.Next));
        if (next is null || !await keys.PromoteNextAsync(cancellationToken))
        {
            ModelState.AddModelError("", localizer["There is no next key to switch to: publish one first."]);
            await OnGetAsync(cancellationToken);
            return Page();
        }
        await audit.RecordAsync(new AuditRecord(AuditActor.FromPrincipal(User, AuditActor.Anonymous), "sso.saml.sp-key.promoted", "sso:sp-keys",
            Before: active is null ? null : new { active = Thumbprint(active.CertificatePem) },
            After: new { active = Thumbprint(next.CertificatePem), notAfterUtc = next.NotAfterUtc }), cancellationToken);
        Message = localizer["The next key is now the active SP key."];
        return Redirect(Url.Content("~/admin/sso"));
    }

    private async Task LoadKeysAsync(CancellationToken cancellationToken)
    {
        if (Keys is { } keys)
            SpKeys = (await keys.PublishedAsync(cancellationToken)).Select(k => new SpKeyView(Thumbprint(k.CertificatePem), k.NotAfterUtc, k.Status)).ToList();
    }

    private static string Thumbprint(string pem)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
        return certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
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
            await LoadKeysAsync(cancellationToken);
            return Page();
        }
        Message = SsoOnlyStaff ? localizer["Staff now sign in through an identity provider only."] : localizer["Staff may sign in with a password again."];
        return Redirect(Url.Content("~/admin/sso"));
    }
}
