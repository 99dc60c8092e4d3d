using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Engineers;

/// <summary>An engineer: name, rate, active; weekly working hours with a break; time off (in the studio's time zone).</summary>
public sealed class EditModel(IBookingCatalog catalog, TenantContext tenant, TimeProvider clock, IStringLocalizer<EditModel> localizer) : CatalogPage(localizer)
{
    [FromRoute] public long Id { get; set; }
    [BindProperty] public EngineerInput Input { get; set; } = new();
    [BindProperty] public List<DayInput> Days { get; set; } = [];
    [BindProperty] public TimeOffInput Off { get; set; } = new();

    public Engineer? Engineer { get; private set; }
    public IReadOnlyList<TimeOff> TimeOff { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public sealed class EngineerInput
    {
        public string? DisplayName { get; set; }
        public string? HourlyRate { get; set; }
        public bool Active { get; set; } = true;
    }

    /// <summary>One weekday: working time and an optional break, "HH:mm" (blank: not working).</summary>
    public sealed class DayInput
    {
        public DayOfWeek Day { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }
        public string? BreakFrom { get; set; }
        public string? BreakTo { get; set; }
    }

    public sealed class TimeOffInput
    {
        public DateTime? From { get; set; }
        public DateTime? To { get; set; }
        public string? Reason { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken, loadDays: true))
            return NotFound();
        FillInput();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken, loadDays: true))
            return NotFound();
        var engineer = Engineer! with { DisplayName = Input.DisplayName ?? "", HourlyRate = Amount(Input.HourlyRate, "Input.HourlyRate"), Active = Input.Active };
        if (!await TryAsync(() => catalog.SaveEngineerAsync(engineer, Actor, cancellationToken)))
            return Page();
        Message = localizer["The engineer is saved."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostHoursAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken, loadDays: false))
            return NotFound();
        FillInput();
        var hours = new List<WorkingHours>();
        foreach (var (day, i) in Days.Select((d, i) => (d, i)))
        {
            Add(day.Day, Minute(day.From, $"Days[{i}].From"), Minute(day.To, $"Days[{i}].To", close: true), "work", $"Days[{i}].From");
            Add(day.Day, Minute(day.BreakFrom, $"Days[{i}].BreakFrom"), Minute(day.BreakTo, $"Days[{i}].BreakTo", close: true), "break", $"Days[{i}].BreakFrom");
        }
        if (!await TryAsync(() => catalog.SetWorkingHoursAsync(Id, hours, Actor, cancellationToken), "Days"))
            return Page();
        Message = localizer["The working hours are saved."];
        return RedirectToPage();

        void Add(DayOfWeek day, int? start, int? end, string kind, string field)
        {
            if (start is null && end is null)
                return;
            if (start is null || end is null)
                ModelState.AddModelError(field, localizer["{0}: give both times, or neither.", DayName(day)]);
            else
                hours.Add(new WorkingHours(day, start.Value, end.Value, kind));
        }
    }

    public async Task<IActionResult> OnPostTimeOffAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken, loadDays: true))
            return NotFound();
        FillInput();
        var start = ToUtc(Off.From, "Off.From");
        var end = ToUtc(Off.To, "Off.To");
        if (!await TryAsync(() => catalog.AddTimeOffAsync(new TimeOff(0, Id, start ?? default, end ?? default, Off.Reason ?? ""), Actor, cancellationToken), "Off"))
            return Page();
        Message = localizer["The time off is added."];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteTimeOffAsync(long timeOffId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken, loadDays: false))
            return NotFound();
        // Only this engineer's own entries can be deleted from their page.
        if (TimeOff.Any(t => t.Id == timeOffId))
            await catalog.DeleteTimeOffAsync(timeOffId, Actor, cancellationToken);
        Message = localizer["The time off is deleted."];
        return RedirectToPage();
    }

    /// <summary>A wall-clock time in the studio's zone as UTC; a time skipped by a DST change is refused.</summary>
    private DateTime? ToUtc(DateTime? local, string field)
    {
        if (local is not { } value)
        {
            ModelState.AddModelError(field, localizer["Enter a date and time."]);
            return null;
        }
        value = DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(value))
        {
            ModelState.AddModelError(field, localizer["{0} does not exist in the studio's time zone (the clocks change then).", value.ToString("g", CultureInfo.CurrentCulture)]);
            return null;
        }
        return TimeZoneInfo.ConvertTimeToUtc(value, Zone);
    }

    public string Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, Zone).ToString("g", CultureInfo.CurrentCulture);

    private void FillInput() => Input = new EngineerInput
    {
        DisplayName = Engineer!.DisplayName, HourlyRate = AmountText(Engineer.HourlyRate), Active = Engineer.Active,
    };

    private async Task<bool> LoadAsync(CancellationToken cancellationToken, bool loadDays)
    {
        Zone = Studio.Modules.Bookings.Services.Engine.LocalTime.Zone(tenant.TimeZone);
        Engineer = await catalog.GetEngineerAsync(Id, cancellationToken);
        if (Engineer is null)
            return false;
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
        var now = clock.GetUtcNow().UtcDateTime;
        TimeOff = await catalog.ListTimeOffAsync(Id, now.AddDays(-31), now.AddYears(3), cancellationToken);
        if (loadDays)
        {
            var hours = await catalog.GetWorkingHoursAsync(Id, cancellationToken);
            Days = Week.Select(day =>
            {
                var work = hours.FirstOrDefault(h => h.Day == day && h.Kind == "work");
                var pause = hours.FirstOrDefault(h => h.Day == day && h.Kind == "break");
                return new DayInput
                {
                    Day = day, From = work is null ? null : TimeText(work.StartMinute), To = work is null ? null : TimeText(work.EndMinute),
                    BreakFrom = pause is null ? null : TimeText(pause.StartMinute), BreakTo = pause is null ? null : TimeText(pause.EndMinute),
                };
            }).ToList();
        }
        return true;
    }
}
