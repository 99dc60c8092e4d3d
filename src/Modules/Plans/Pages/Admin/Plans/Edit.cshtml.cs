using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Identity;
using Studio.Localization;
using Studio.Modules.Plans.Services;
using Studio.Platform;

namespace Studio.Modules.Plans.Pages.Admin.Plans;

/// <summary>
/// Creates or edits a plan. The form is read as text and checked here (a price that is no number, a limit that
/// is no whole number) and by the catalog (unknown feature ids, negative limits, currencies); every problem is
/// shown at once and nothing is saved. The version read is posted back, so a concurrent edit is refused.
/// </summary>
[Authorize(Policy = StudioPolicies.Operator)]
public sealed class EditModel(IPlanCatalog plans, IStringLocalizer<EditModel> localizer) : PageModel
{
    public static IReadOnlyList<string> Currencies => Studio.Currencies.Currency.SupportedCodes;

    public static readonly IReadOnlyList<string> LimitKeys =
        [PlanLimitKeys.Rooms, PlanLimitKeys.StaffAccounts, PlanLimitKeys.BookingsPerMonth, PlanLimitKeys.SmsPerMonth];

    /// <summary>
    /// A limit key's label — English text, the translation key: show it with <c>T[LimitLabel(key)]</c>. A key
    /// another module defined is shown as it is.
    /// </summary>
    public static string LimitLabel(string key) => key switch
    {
        PlanLimitKeys.Rooms => Localizable.Text("Rooms"),
        PlanLimitKeys.StaffAccounts => Localizable.Text("Staff accounts"),
        PlanLimitKeys.BookingsPerMonth => Localizable.Text("Bookings per month"),
        PlanLimitKeys.SmsPerMonth => Localizable.Text("SMS per month"),
        _ => key,
    };

    public bool IsNew => string.IsNullOrEmpty(Version);

    /// <summary>The well-known limits, then any other a module defined and the plan sets (kept, never dropped on save).</summary>
    public IReadOnlyList<string> AllLimitKeys => LimitKeys.Concat(Limits.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).Except(LimitKeys).Order(StringComparer.Ordinal)).ToList();

    [BindProperty] public string? PlanId { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Price { get; set; }
    [BindProperty] public string? Currency { get; set; }
    [BindProperty] public string? Include { get; set; }
    [BindProperty] public string? Exclude { get; set; }
    [BindProperty] public string? Themes { get; set; }
    [BindProperty] public Dictionary<string, string?> Limits { get; set; } = [];
    [BindProperty] public string? Version { get; set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id))
        {
            Currency = "EUR";
            Price = "0.00";
            return Page();
        }
        if (await plans.GetAsync(id, cancellationToken) is not { } plan)
            return NotFound();
        PlanId = plan.Id;
        Name = plan.Name;
        Price = plan.MonthlyPrice.ToString("0.00", CultureInfo.InvariantCulture);
        Currency = plan.Currency;
        Include = string.Join("\n", plan.Include);
        Exclude = string.Join("\n", plan.Exclude);
        Themes = string.Join("\n", plan.Themes);
        Limits = plan.Limits.ToDictionary(l => l.Key, l => (string?)l.Value.ToString(CultureInfo.InvariantCulture));
        Version = plan.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? id, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!decimal.TryParse(Price?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var price))
            errors.Add(localizer["Enter the monthly price as a number, e.g. 29.00."]);
        var limits = new Dictionary<string, long>();
        foreach (var key in AllLimitKeys)
        {
            var text = Limits.GetValueOrDefault(key)?.Trim();
            if (string.IsNullOrEmpty(text))
                continue; // empty: unlimited
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                limits[key] = value;
            else
                errors.Add(localizer["The limit '{0}' must be a whole number (leave it empty for no limit).", localizer[LimitLabel(key)]]);
        }
        if (errors.Count > 0)
            return Fail(errors);

        var plan = new PlanDefinition
        {
            Id = (string.IsNullOrEmpty(id) ? PlanId : id) ?? "",
            Name = Name ?? "",
            MonthlyPrice = price,
            Currency = Currency ?? "",
            Include = Lines(Include),
            Exclude = Lines(Exclude),
            Themes = Lines(Themes),
            Limits = limits,
        };
        try
        {
            await plans.SaveAsync(Actors.From(HttpContext), plan, string.IsNullOrEmpty(Version) ? null : Version, cancellationToken);
        }
        catch (PlatformValidationException e) { return Fail(e.Errors); }
        catch (Exception e) when (e is PlatformConcurrencyException or PlatformForbiddenException) { return Fail([e.Message]); }
        Message = localizer["Plan saved."];
        return Redirect(PlatformPaths.Plans);
    }

    private PageResult Fail(IEnumerable<string> errors)
    {
        foreach (var error in errors)
            ModelState.AddModelError("", error);
        return Page();
    }

    /// <summary>One rule or theme per line (commas work too).</summary>
    private static List<string> Lines(string? text) => (text ?? "")
        .Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
