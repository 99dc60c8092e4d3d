using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Localization;
using Studio.Platform;

namespace Studio.Modules.Settings.Pages.Admin.Settings;

/// <summary>
/// Languages and wording: which of the six languages the studio offers, whether a visitor's browser language goes
/// before the studio's default, and the studio's own words for any text of the platform, per language ("Studio"
/// where the platform says "Room"). Saved in the tenant's settings through <see cref="IOwnTenantSettings"/>, so the
/// change is validated, versioned, audited and live on every host instance.
/// </summary>
public sealed class LanguagesModel(IOwnTenantSettings settings, ITranslationCatalog catalog, IStringLocalizer<LanguagesModel> localizer) : PageModel
{
    /// <summary>Most texts a search lists at once.</summary>
    public const int MaxResults = 50;

    public OwnTenantSettingsInfo Current { get; private set; } = new() { Name = "" };

    [BindProperty] public List<string> Offered { get; set; } = [];
    [BindProperty] public bool PreferBrowserLanguage { get; set; }
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public List<TextOverride> Entries { get; set; } = [];

    /// <summary>The language whose wording is shown.</summary>
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }

    /// <summary>What to look for among the platform's texts (English or the language's).</summary>
    [BindProperty(SupportsGet = true)] public string? Query { get; set; }

    /// <summary>The texts listed for editing: the search's matches, then the language's current replacements.</summary>
    public IReadOnlyList<(string Key, string Platform, string Own)> Rows { get; private set; } = [];

    /// <summary>True when the search matched more than <see cref="MaxResults"/> texts.</summary>
    public bool Truncated { get; private set; }

    [TempData] public string? Message { get; set; }

    public StudioLanguage Chosen => StudioLanguages.Find(Language) ?? StudioLanguages.All[0];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostLanguagesAsync(CancellationToken cancellationToken)
    {
        Current = await settings.GetAsync(cancellationToken);
        var edit = new LocalizationSettings
        {
            Languages = Offered,
            PreferBrowserLanguage = PreferBrowserLanguage,
            Texts = Current.Localization.Texts,
        };
        return await SaveAsync(edit, localizer["Languages saved."], cancellationToken);
    }

    public async Task<IActionResult> OnPostTextsAsync(CancellationToken cancellationToken)
    {
        Current = await settings.GetAsync(cancellationToken);
        var language = Chosen.Code;
        var own = Current.Localization.Texts.TryGetValue(language, out var list)
            ? list.ToDictionary(t => t.Key, t => t.Text, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Entries.Where(e => !string.IsNullOrEmpty(e.Key)))
        {
            if (string.IsNullOrWhiteSpace(entry.Text))
                own.Remove(entry.Key); // an emptied field gives the platform's text back
            else
                own[entry.Key] = entry.Text;
        }
        var texts = new Dictionary<string, List<TextOverride>>(Current.Localization.Texts, StringComparer.OrdinalIgnoreCase)
        {
            [language] = own.Select(p => new TextOverride { Key = p.Key, Text = p.Value }).ToList(),
        };
        var edit = new LocalizationSettings
        {
            Languages = Current.Localization.Languages,
            PreferBrowserLanguage = Current.Localization.PreferBrowserLanguage,
            Texts = texts,
        };
        return await SaveAsync(edit, localizer["Wording saved. The site shows it now."], cancellationToken);
    }

    private async Task<IActionResult> SaveAsync(LocalizationSettings edit, string message, CancellationToken cancellationToken)
    {
        try
        {
            await settings.UpdateLocalizationAsync(edit, Version ?? "", cancellationToken);
        }
        catch (PlatformValidationException e)
        {
            foreach (var error in e.Errors)
                ModelState.AddModelError("", error);
            await LoadAsync(cancellationToken, keepPosted: true);
            return Page();
        }
        catch (PlatformConcurrencyException e)
        {
            ModelState.AddModelError("", e.Message);
            await LoadAsync(cancellationToken, keepPosted: true);
            return Page();
        }
        Message = message;
        return RedirectToPage(new { language = Chosen.Code, query = Query });
    }

    private async Task LoadAsync(CancellationToken cancellationToken, bool keepPosted = false)
    {
        Current = await settings.GetAsync(cancellationToken);
        if (!keepPosted)
        {
            Offered = Current.Localization.OfferedLanguages().Select(l => l.Code).ToList();
            PreferBrowserLanguage = Current.Localization.PreferBrowserLanguage;
        }
        Version = Current.Version;
        var language = Chosen.Code;
        var own = Current.Localization.Texts.TryGetValue(language, out var list)
            ? list.ToDictionary(t => t.Key, t => t.Text, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        if (keepPosted)
            foreach (var entry in Entries.Where(e => !string.IsNullOrEmpty(e.Key)))
                own[entry.Key] = entry.Text;

        var keys = new List<string>();
        var query = Query?.Trim();
        if (!string.IsNullOrEmpty(query))
        {
            var matches = catalog.Keys.Where(k => k.Contains(query, StringComparison.CurrentCultureIgnoreCase)
                || catalog.Translate(k, language).Contains(query, StringComparison.CurrentCultureIgnoreCase));
            keys.AddRange(matches.Take(MaxResults + 1));
            Truncated = keys.Count > MaxResults;
            if (Truncated)
                keys.RemoveAt(MaxResults);
        }
        keys.AddRange(own.Keys.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal));
        Rows = keys.Select(k => (k, catalog.Translate(k, language), own.GetValueOrDefault(k, ""))).ToList();
    }
}
