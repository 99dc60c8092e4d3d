using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Studio.Audit;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Platform;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin;

/// <summary>
/// What the bookings set-up pages (under /admin/bookings: owners and admins only, by the host's rule) share: the
/// acting user for the audit trail, refusals shown as form errors, and culture-safe parsing of amounts and times.
/// </summary>
public abstract class CatalogPage(IStringLocalizer localizer) : PageModel
{
    [TempData]
    public string? Message { get; set; }

    /// <summary>The route's id: "new" (null) or a number; false for anything else (a 404).</summary>
    protected static bool TryRouteId(string? text, out long? id)
    {
        id = null;
        if (text is null or "new")
            return true;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            id = value;
            return true;
        }
        return false;
    }

    /// <summary>The signed-in user, for the audit trail.</summary>
    protected AuditActor Actor => AuditActor.FromPrincipal(User, AuditActor.Anonymous);

    /// <summary>
    /// Runs a write; a refusal (bad input, a plan limit) becomes a form error on <paramref name="prefix"/>.Field
    /// (or the whole form) and false.
    /// </summary>
    protected async Task<bool> TryAsync(Func<Task> write, string prefix = "Input")
    {
        if (!ModelState.IsValid)
            return false;
        try
        {
            await write();
            return true;
        }
        catch (BookingValidationException e)
        {
            ModelState.AddModelError(e.Field is null ? "" : prefix.Length == 0 ? e.Field : $"{prefix}.{e.Field}", e.Message);
        }
        catch (PlanLimitExceededException e)
        {
            ModelState.AddModelError("", e.Message);
        }
        return false;
    }

    /// <summary>Model binding's own messages are English only: replace them with a localized one naming the value.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context) =>
        Studio.Localization.ModelBindingMessages.Localize(ModelState, localizer);

    /// <summary>
    /// An amount typed in the page's culture (e.g. "1.234,50" in German), or with a dot as the decimal separator
    /// (what number inputs send); null when blank. A form error on <paramref name="field"/> when unreadable.
    /// </summary>
    protected decimal? Amount(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        var culture = CultureInfo.CurrentCulture;
        if (text.Contains(culture.NumberFormat.NumberDecimalSeparator, StringComparison.Ordinal)
            && decimal.TryParse(text, NumberStyles.Number, culture, out var local))
            return local;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var plain))
            return plain;
        ModelState.AddModelError(field, localizer["\"{0}\" is not an amount.", text]);
        return null;
    }

    /// <summary>An amount for an input (invariant, as number inputs want it).</summary>
    public static string AmountText(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";

    /// <summary>"HH:mm" as minutes from midnight (a closing "00:00" is midnight at the end of the day); null when blank.</summary>
    protected int? Minute(string? text, string field, bool close = false)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            var minutes = time.Hour * 60 + time.Minute;
            return close && minutes == 0 ? 1440 : minutes;
        }
        if (close && text.Trim() == "24:00")
            return 1440;
        ModelState.AddModelError(field, localizer["\"{0}\" is not a time (HH:mm).", text]);
        return null;
    }

    /// <summary>Minutes from midnight as "HH:mm" (1440 shows as 00:00, the end of the day).</summary>
    public static string TimeText(int? minutes) => minutes is { } m ? $"{m / 60 % 24:00}:{m % 60:00}" : "";

    /// <summary>Weekdays Monday first, as a studio's week is read.</summary>
    public static IReadOnlyList<DayOfWeek> Week { get; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static string DayName(DayOfWeek day) => CultureInfo.CurrentCulture.DateTimeFormat.GetDayName(day);

    /// <summary>An amount with its currency, in the page's culture.</summary>
    public static string Money(decimal? amount, string currency) => amount is { } a ? Studio.Currencies.Money.Of(a, currency).ToString() : "—";
}
