using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Localization;
using Studio.Media;
using Studio.Modules.Settings.Services;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Settings.Pages.Admin.Settings;

/// <summary>
/// The studio owner's settings: name, brand, theme (those its plan allows), language and time zone, logo and
/// favicon. Under /admin, so only the tenant's owners and admins reach it. Saves through
/// <see cref="IOwnTenantSettings"/>, which writes this tenant's own record and nothing else.
/// </summary>
// Well above the files' own limits (logo 512 KB, favicon 64 KB): a too-large photo picked by mistake reaches the
// handler and gets the form's message naming the limit, rather than failing form reading with a bare 400 page.
// (Kestrel's own request limit, 30 MB by default, is above this.)
[RequestFormLimits(MultipartBodyLengthLimit = MaxFormBytes)]
public sealed class IndexModel(IOwnTenantSettings settings, BrandMediaStore media, IStringLocalizer<IndexModel> localizer) : PageModel
{
    /// <summary>Largest form accepted (files included).</summary>
    public const int MaxFormBytes = 16 * 1024 * 1024;

    /// <summary>Font keys a tenant may choose (the host's brand validator checks them again).</summary>
    public static readonly IReadOnlyList<string> Fonts = ["system", "serif", "humanist", "mono", "rounded"];

    /// <summary>A font key's label — English text, the translation key: show it with <c>T[FontLabel(font)]</c>.</summary>
    public static string FontLabel(string font) => font switch
    {
        "system" => Localizable.Text("System font"),
        "serif" => Localizable.Text("Serif"),
        "humanist" => Localizable.Text("Humanist sans-serif"),
        "mono" => Localizable.Text("Monospace"),
        "rounded" => Localizable.Text("Rounded"),
        _ => font,
    };

    public OwnTenantSettingsInfo Current { get; private set; } = new() { Name = "" };

    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? BrandName { get; set; }
    [BindProperty] public string? PrimaryColor { get; set; }
    [BindProperty] public string? AccentColor { get; set; }
    [BindProperty] public string? Font { get; set; }
    [BindProperty] public string? CustomCss { get; set; }
    [BindProperty] public string? Theme { get; set; }
    [BindProperty] public string? Culture { get; set; }
    [BindProperty] public string? TimeZone { get; set; }
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public IFormFile? Logo { get; set; }
    [BindProperty] public IFormFile? Favicon { get; set; }
    [BindProperty] public bool RemoveLogo { get; set; }
    [BindProperty] public bool RemoveFavicon { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Current = await settings.GetAsync(cancellationToken);
        Fill(Current);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Current = await settings.GetAsync(cancellationToken);
        var brand = Current.Brand with
        {
            DisplayName = BrandName?.Trim() ?? "",
            PrimaryColor = Blank(PrimaryColor),
            AccentColor = Blank(AccentColor),
            Font = Blank(Font),
            CustomCss = Blank(CustomCss),
        };
        // Files are checked before anything is stored; a refused file saves nothing at all.
        var logo = await ReadAsync(Logo, MediaKind.Logo, cancellationToken);
        var favicon = await ReadAsync(Favicon, MediaKind.Favicon, cancellationToken);
        if (!ModelState.IsValid)
            return Page();

        if (RemoveLogo)
            brand = brand with { LogoUrl = null };
        if (RemoveFavicon)
            brand = brand with { FaviconUrl = null };
        if (logo is { } l)
            brand = brand with { LogoUrl = await media.SaveAsync(MediaKind.Logo, l.Image, l.Bytes, cancellationToken) };
        if (favicon is { } f)
            brand = brand with { FaviconUrl = await media.SaveAsync(MediaKind.Favicon, f.Image, f.Bytes, cancellationToken) };

        var edit = new OwnTenantSettingsEdit
        {
            DisplayName = DisplayName ?? "",
            Theme = Theme ?? "",
            Brand = brand,
            Culture = Culture ?? "",
            TimeZone = TimeZone?.Trim() ?? "",
        };
        try
        {
            var saved = await settings.UpdateAsync(edit, Version ?? "", cancellationToken);
            // Files no longer in use go (an earlier logo, or one uploaded with a save that was refused).
            await media.PruneAsync(MediaKind.Logo, saved.Brand.LogoUrl, cancellationToken);
            await media.PruneAsync(MediaKind.Favicon, saved.Brand.FaviconUrl, cancellationToken);
        }
        catch (PlatformValidationException e)
        {
            foreach (var error in e.Errors)
                ModelState.AddModelError("", error);
            return Page();
        }
        catch (PlatformConcurrencyException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        Message = localizer["Settings saved. The site shows them now."];
        return RedirectToPage();
    }

    private async Task<(SniffedImage Image, byte[] Bytes)?> ReadAsync(IFormFile? file, MediaKind kind, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
            return null;
        var field = kind == MediaKind.Logo ? nameof(Logo) : nameof(Favicon);
        var label = kind == MediaKind.Logo ? localizer["Logo"] : localizer["Favicon"];
        byte[] bytes;
        await using (var stream = file.OpenReadStream())
            bytes = await MediaInspector.ReadBoundedAsync(stream, kind, cancellationToken);
        var (image, refusal) = MediaInspector.Inspect(bytes, kind);
        if (refusal is not null)
        {
            ModelState.AddModelError(field, localizer["{0}: {1}", label, localizer[refusal.Message, refusal.Arguments]]);
            return null;
        }
        return (image!, bytes);
    }

    private void Fill(OwnTenantSettingsInfo info)
    {
        DisplayName = info.DisplayName;
        BrandName = info.Brand.DisplayName;
        PrimaryColor = info.Brand.PrimaryColor;
        AccentColor = info.Brand.AccentColor;
        Font = info.Brand.Font;
        CustomCss = info.Brand.CustomCss;
        Theme = info.Theme;
        Culture = info.Culture;
        TimeZone = info.TimeZone;
        Version = info.Version;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
