using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Currencies;
using Studio.Localization;
using Studio.Modules.Currencies.Services;

namespace Studio.Modules.Currencies.Pages.Currencies.Admin;

/// <summary>
/// The tenant's currency settings (under /admin: owners and admins, by the host's rule): base currency, the
/// currencies clients may view prices in, manual rates, and the ECB rates in use with their date.
/// </summary>
public sealed class IndexModel(CurrencyStore store, CurrencyRates rates, CurrencyOptions options, IStringLocalizer<IndexModel> localizer) : PageModel
{
    [TempData] public string? Message { get; set; }

    [BindProperty] public string? BaseCurrency { get; set; }
    [BindProperty] public List<string> DisplayCurrencies { get; set; } = [];
    [BindProperty] public string? ManualCurrency { get; set; }
    [BindProperty] public string? ManualRate { get; set; }

    public CurrencySettings Settings { get; private set; } = new(null, []);
    public EcbRates? Stored { get; private set; }
    public IReadOnlyDictionary<string, ManualRate> Manual { get; private set; } = new Dictionary<string, ManualRate>();
    public EcbFeedError? FeedError { get; private set; }
    public DateTime? LastAttemptUtc { get; private set; }
    public bool FeedEnabled => options.FeedEnabled;

    /// <summary>One row of the rates table: 1 base unit in <see cref="Code"/> by the ECB and by hand.</summary>
    public sealed record RateRow(string Code, decimal? EcbRate, ManualRate? Manual);

    public IReadOnlyList<RateRow> Rows { get; private set; } = [];

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context) => ModelBindingMessages.Localize(ModelState, localizer);

    private AuditActor Actor => AuditActor.FromPrincipal(User, AuditActor.Anonymous);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        BaseCurrency = Settings.BaseCurrency ?? Currency.EUR.Code;
        DisplayCurrencies = Settings.DisplayCurrencies.ToList();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Settings = await store.GetSettingsAsync(cancellationToken);
        Stored = await store.GetRatesAsync(cancellationToken);
        Manual = await store.GetManualRatesAsync(cancellationToken);
        FeedError = rates.LastError;
        LastAttemptUtc = rates.LastAttemptUtc;
        var baseCode = Settings.BaseCurrency ?? Currency.EUR.Code;
        var ecbOnly = new RateSnapshot(baseCode, Stored, new Dictionary<string, ManualRate>());
        Rows = Currency.SupportedCodes.Where(c => c != baseCode)
            .Select(c => new RateRow(c, CurrencyConverter.Convert(new Money(1m, baseCode), c, ecbOnly)?.Rate, Manual.GetValueOrDefault(c)))
            .ToList();
    }

    public async Task<IActionResult> OnPostSettingsAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                await store.SaveSettingsAsync(BaseCurrency, DisplayCurrencies, Actor, cancellationToken);
                Message = localizer["The currency settings are saved."];
                return RedirectToPage();
            }
            catch (CurrencyValidationException e)
            {
                foreach (var (field, message) in e.Errors)
                    ModelState.AddModelError(field, message);
            }
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostManualAsync(CancellationToken cancellationToken)
    {
        decimal? rate = null;
        if (!string.IsNullOrWhiteSpace(ManualRate))
        {
            if (TryParseRate(ManualRate, out var parsed))
                rate = parsed;
            else
                ModelState.AddModelError(nameof(ManualRate), localizer["\"{0}\" is not a rate: write a number such as 1.0825.", ManualRate]);
        }
        else
        {
            ModelState.AddModelError(nameof(ManualRate), localizer["Enter a rate, or remove the manual rate."]);
        }
        if (ModelState.IsValid)
        {
            try
            {
                await store.SetManualRateAsync(ManualCurrency, rate, Actor, cancellationToken);
                Message = localizer["The manual rate of {0} is saved.", (ManualCurrency ?? "").ToUpperInvariant()];
                return RedirectToPage();
            }
            catch (CurrencyValidationException e)
            {
                foreach (var (field, message) in e.Errors)
                    ModelState.AddModelError(field == "Rate" ? nameof(ManualRate) : field, message);
            }
        }
        await LoadAsync(cancellationToken);
        BaseCurrency = Settings.BaseCurrency ?? Currency.EUR.Code;
        DisplayCurrencies = Settings.DisplayCurrencies.ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveManualAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.SetManualRateAsync(ManualCurrency, null, Actor, cancellationToken);
            Message = localizer["The manual rate of {0} is removed; the ECB rate applies.", (ManualCurrency ?? "").ToUpperInvariant()];
            return RedirectToPage();
        }
        catch (CurrencyValidationException e)
        {
            foreach (var (field, message) in e.Errors)
                ModelState.AddModelError(field, message);
        }
        await LoadAsync(cancellationToken);
        BaseCurrency = Settings.BaseCurrency ?? Currency.EUR.Code;
        DisplayCurrencies = Settings.DisplayCurrencies.ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostRefreshAsync(CancellationToken cancellationToken)
    {
        if (!options.FeedEnabled)
            return RedirectToPage();
        var result = await rates.RefreshAsync(force: true, cancellationToken);
        Message = result.Error is null && result.Stored is { } stored
            ? localizer["The rates are up to date: ECB rates of {0}.", FormatDate(stored.Date)]
            : localizer["The rate feed could not be used; the last known rates stay in use."];
        return RedirectToPage();
    }

    /// <summary>A rate typed in the current culture ("1,0825" in French) or with a dot.</summary>
    public static bool TryParseRate(string text, out decimal rate) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.CurrentCulture, out rate)
        || decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out rate);

    /// <summary>A rate as shown (up to 6 decimals, current culture).</summary>
    public static string FormatRate(decimal rate) => rate.ToString("0.######", CultureInfo.CurrentCulture);

    /// <summary>A rate date as shown, e.g. "24 Nov 2026".</summary>
    public static string FormatDate(DateOnly date) => Studio.Localization.DateFormats.WithoutWeekday(date);

    /// <summary>The feed's error, in words.</summary>
    public string FeedErrorText(EcbFeedError error) => error switch
    {
        EcbFeedError.Unreachable => localizer["the feed could not be reached"],
        EcbFeedError.TooLarge => localizer["the feed was too large"],
        _ => localizer["the feed was not a valid ECB rates file"],
    };
}
