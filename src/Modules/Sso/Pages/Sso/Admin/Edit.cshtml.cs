using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Modules.Sso.Services.Saml;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Pages.Sso.Admin;

/// <summary>
/// Adds or edits one identity provider: SAML 2.0 (from pasted or uploaded metadata XML, or by hand; shows the
/// tenant's SP metadata and ACS URLs to give the IdP) or OpenID Connect (with presets; the client secret is write-only).
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = SamlIdpMetadata.MaxBytes + 64 * 1024, ValueLengthLimit = SamlIdpMetadata.MaxBytes + 1024)]
public sealed partial class EditModel(SsoProviderStore store, TenantContext tenant, IStringLocalizer<EditModel> localizer) : PageModel
{
    [FromRoute] public string Protocol { get; set; } = "";
    [FromRoute] public string Id { get; set; } = "";
    [BindProperty] public ProviderInput Input { get; set; } = new();
    [BindProperty] public IFormFile? MetadataFile { get; set; }
    [TempData] public string? Message { get; set; }

    public SsoProvider? Existing { get; private set; }
    public bool IsNew => Existing is null;
    public IReadOnlyList<string> Roles => store.AllowedRoles;
    public static IReadOnlyList<string> Presets => SsoProviderStore.OidcPresets;

    public sealed class ProviderInput
    {
        public string? Id { get; set; }
        public string? Label { get; set; }
        public bool Enabled { get; set; } = true;
        public string? EmailDomains { get; set; }
        public bool JustInTimeProvisioning { get; set; }
        public string? DefaultRole { get; set; }
        /// <summary>One "group = role" a line.</summary>
        public string? GroupRoles { get; set; }
        public bool TrustProviderMultiFactor { get; set; }
        public int Version { get; set; }
        public string? MappingEmail { get; set; }
        public string? MappingName { get; set; }
        public string? MappingGroups { get; set; }
        // SAML
        public string? MetadataXml { get; set; }
        public string? MetadataUrl { get; set; }
        public int MetadataRefreshHours { get; set; } = 24;
        public string? IdpEntityId { get; set; }
        public string? SsoUrl { get; set; }
        public string SsoBinding { get; set; } = "redirect";
        public string? SloUrl { get; set; }
        public string? Certificates { get; set; }
        public string RequireSigned { get; set; } = "assertion";
        public bool AllowSha1 { get; set; }
        public bool AllowIdpInitiated { get; set; }
        public int ClockSkewSeconds { get; set; } = 120;
        // OIDC
        public string Preset { get; set; } = "custom";
        public string? Authority { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public bool RemoveClientSecret { get; set; }
        public string? Scopes { get; set; }
        public bool HasClientSecret { get; set; }
    }

    /// <summary>An absolute URL of this tenant (what the IdP is given).</summary>
    public string Absolute(string path) => $"{Request.Scheme}://{Request.Host}{Request.PathBase}{path}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (Existing is { } p)
            Fill(p);
        else if (Protocol == SsoProtocols.Oidc)
            Input.Scopes = "openid profile email";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        Input.HasClientSecret = Existing?.Oidc?.ClientSecretProtected is not null;
        if (!ModelState.IsValid)
            return Page();
        try
        {
            var provider = await BuildAsync(cancellationToken);
            var secret = Protocol != SsoProtocols.Oidc ? null
                : Input.RemoveClientSecret ? ""
                : string.IsNullOrWhiteSpace(Input.ClientSecret) ? null : Input.ClientSecret;
            var saved = await store.SaveAsync(provider, secret, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
            Message = IsNew ? localizer["The identity provider is added."] : localizer["The identity provider is saved."];
            return Redirect(Url.Content($"~/admin/sso/{saved.Protocol}/{saved.Id}"));
        }
        catch (SsoValidationException e)
        {
            ModelState.AddModelError(e.Field is null ? "" : "Input." + e.Field, e.Message);
            Input.ClientSecret = null;
            return Page();
        }
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Existing is null)
            return NotFound();
        try
        {
            await store.DeleteAsync(Existing.Id, AuditActor.FromPrincipal(User, AuditActor.Anonymous), cancellationToken);
        }
        catch (SsoValidationException e)
        {
            Fill(Existing);
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        Message = localizer["The identity provider is deleted."];
        return Redirect(Url.Content("~/admin/sso"));
    }

    /// <summary>The provider the form describes; metadata (pasted, uploaded, or else fetched from the metadata URL) fills the SAML endpoint fields.</summary>
    private async Task<SsoProvider> BuildAsync(CancellationToken cancellationToken)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (Input.GroupRoles ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = line.LastIndexOf('=');
            if (at <= 0)
                throw new SsoValidationException(localizer["Write one \"group = role\" a line."], nameof(ProviderInput.GroupRoles));
            groups[line[..at].Trim()] = line[(at + 1)..].Trim();
        }
        var provider = new SsoProvider
        {
            Id = Existing?.Id ?? Input.Id ?? "", Protocol = Protocol, Label = Input.Label ?? "", Enabled = Input.Enabled,
            EmailDomains = (Input.EmailDomains ?? "").Split([',', ' ', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JustInTimeProvisioning = Input.JustInTimeProvisioning, DefaultRole = Input.DefaultRole, GroupRoles = groups,
            TrustProviderMultiFactor = Input.TrustProviderMultiFactor, Version = Existing is null ? 0 : Input.Version,
        };
        var mapping = new ClaimMapping { Email = Input.MappingEmail, Name = Input.MappingName, Groups = Input.MappingGroups };
        if (Protocol == SsoProtocols.Oidc)
        {
            var defaults = OidcPresetDefaults.For(Input.Preset);
            return provider with
            {
                Oidc = new OidcProviderSettings
                {
                    Preset = Input.Preset, Authority = string.IsNullOrWhiteSpace(Input.Authority) ? defaults.Authority ?? "" : Input.Authority, ClientId = Input.ClientId ?? "",
                    Scopes = string.IsNullOrWhiteSpace(Input.Scopes) ? defaults.Scopes : [Input.Scopes],
                    Mapping = mapping with { Groups = string.IsNullOrWhiteSpace(mapping.Groups) ? defaults.GroupsClaim : mapping.Groups },
                },
            };
        }
        var saml = new SamlProviderSettings
        {
            IdpEntityId = Input.IdpEntityId ?? "", SsoUrl = Input.SsoUrl ?? "", SsoBinding = Input.SsoBinding, SloUrl = Input.SloUrl,
            SigningCertificates = SplitCertificates(Input.Certificates), MetadataUrl = Input.MetadataUrl, MetadataRefreshHours = Input.MetadataRefreshHours,
            MetadataFetchedUtc = Existing?.Saml?.MetadataFetchedUtc, RequireSigned = Input.RequireSigned, AllowSha1 = Input.AllowSha1,
            AllowIdpInitiated = Input.AllowIdpInitiated, ClockSkewSeconds = Input.ClockSkewSeconds, Mapping = mapping,
        };
        var xml = Input.MetadataXml;
        if (MetadataFile is { Length: > 0 } file)
        {
            if (file.Length > SamlIdpMetadata.MaxBytes)
                throw new SsoValidationException(localizer["The metadata could not be read: give the identity provider's SAML 2.0 metadata XML with its sign-in endpoint and signing certificate."], "Metadata");
            using var reader = new StreamReader(file.OpenReadStream());
            xml = await reader.ReadToEndAsync(cancellationToken);
        }
        if (!string.IsNullOrWhiteSpace(xml))
        {
            // The one metadata reader (also used for metadata URLs): safe parsing, exactly one IdP, its endpoints and
            // signing certificates. Its reasons are technical; the admin gets one clear message.
            try
            {
                saml = SamlIdpMetadata.Apply(System.Text.Encoding.UTF8.GetBytes(xml), saml);
            }
            catch (FormatException)
            {
                throw new SsoValidationException(localizer["The metadata could not be read: give the identity provider's SAML 2.0 metadata XML with its sign-in endpoint and signing certificate."], "Metadata");
            }
        }
        else if (!string.IsNullOrWhiteSpace(Input.MetadataUrl) &&
            (Existing?.Saml is not { MetadataFetchedUtc: not null } stored || !string.Equals(stored.MetadataUrl, Input.MetadataUrl.Trim(), StringComparison.Ordinal)))
        {
            // A new (or never fetched) metadata URL is fetched and applied at once: the admin sees at save time whether
            // it works, and a URL that cannot be fetched or read saves nothing. An unchanged URL is left to the refresh.
            var fetcher = HttpContext.RequestServices.GetService(typeof(SamlMetadataFetcher)) as SamlMetadataFetcher
                ?? throw new SsoValidationException(localizer["The metadata address could not be reached."], nameof(ProviderInput.MetadataUrl));
            try
            {
                saml = await fetcher.ImportAsync(Input.MetadataUrl.Trim(), saml, cancellationToken);
            }
            catch (SamlMetadataException e)
            {
                throw new SsoValidationException(e.Message, nameof(ProviderInput.MetadataUrl));
            }
        }
        return provider with { Saml = saml };
    }

    [GeneratedRegex("-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex PemBlock();

    /// <summary>Several PEM blocks, or one bare base64 certificate.</summary>
    private static IReadOnlyList<string> SplitCertificates(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var blocks = PemBlock().Matches(text).Select(m => m.Value).ToList();
        return blocks.Count > 0 ? blocks : [text];
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var feature = Protocol switch { SsoProtocols.Saml => "Studio.Sso.Saml", SsoProtocols.Oidc => "Studio.Sso.Oidc", _ => null };
        if (feature is null || !tenant.IsFeatureEnabled(feature))
            return false;
        if (Id == "new")
            return true;
        Existing = await store.GetAsync(Id, cancellationToken);
        return Existing is not null && Existing.Protocol == Protocol;
    }

    private void Fill(SsoProvider p)
    {
        Input = new ProviderInput
        {
            Id = p.Id, Label = p.Label, Enabled = p.Enabled, EmailDomains = string.Join(", ", p.EmailDomains), JustInTimeProvisioning = p.JustInTimeProvisioning,
            DefaultRole = p.DefaultRole, GroupRoles = string.Join("\n", p.GroupRoles.Select(g => $"{g.Key} = {g.Value}")),
            TrustProviderMultiFactor = p.TrustProviderMultiFactor, Version = p.Version,
        };
        var mapping = p.Saml?.Mapping ?? p.Oidc?.Mapping ?? new ClaimMapping();
        (Input.MappingEmail, Input.MappingName, Input.MappingGroups) = (mapping.Email, mapping.Name, mapping.Groups);
        if (p.Saml is { } s)
        {
            (Input.IdpEntityId, Input.SsoUrl, Input.SsoBinding, Input.SloUrl) = (s.IdpEntityId, s.SsoUrl, s.SsoBinding, s.SloUrl);
            Input.Certificates = string.Join("\n", s.SigningCertificates);
            (Input.MetadataUrl, Input.MetadataRefreshHours, Input.RequireSigned) = (s.MetadataUrl, s.MetadataRefreshHours, s.RequireSigned);
            (Input.AllowSha1, Input.AllowIdpInitiated, Input.ClockSkewSeconds) = (s.AllowSha1, s.AllowIdpInitiated, s.ClockSkewSeconds);
        }
        if (p.Oidc is { } o)
        {
            (Input.Preset, Input.Authority, Input.ClientId) = (o.Preset, o.Authority, o.ClientId);
            Input.Scopes = string.Join(" ", o.Scopes);
            Input.HasClientSecret = o.ClientSecretProtected is not null;
        }
    }

    /// <summary>Model binding's own messages are English only: replace them with a localized one naming the value.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context) =>
        Studio.Localization.ModelBindingMessages.Localize(ModelState, localizer);
}

/// <summary>What an OIDC preset fills in when left blank (defaults only: every value can be changed).</summary>
public sealed record OidcPresetDefaults(string? Authority, IReadOnlyList<string> Scopes, string? GroupsClaim)
{
    public static OidcPresetDefaults For(string? preset) => preset switch
    {
        "okta" => new(null, ["openid", "profile", "email", "groups"], "groups"),
        "auth0" => new(null, ["openid", "profile", "email"], null),
        "entra" => new(null, ["openid", "profile", "email"], "groups"),
        "google" => new("https://accounts.google.com", ["openid", "profile", "email"], null),
        _ => new(null, ["openid", "profile", "email"], null),
    };
}
