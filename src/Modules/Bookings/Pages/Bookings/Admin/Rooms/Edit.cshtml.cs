using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Media;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Rooms;

/// <summary>
/// A room: its details and tiered rates; once it exists, also its weekly opening hours and photos. Each part is
/// its own form, so a refusal in one never loses what was typed in another.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = MediaInspector.MaxPhotoBytes + 64 * 1024)]
public sealed class EditModel(IBookingCatalog catalog, RoomPhotoStore photos, IStringLocalizer<EditModel> localizer) : CatalogPage(localizer)
{
    /// <summary>Two opening periods a day are offered (e.g. 09:00–13:00 and 14:00–22:00).</summary>
    public const int PeriodsPerDay = 2;

    [FromRoute] public string? Id { get; set; }
    [BindProperty] public RoomInput Input { get; set; } = new();
    [BindProperty] public List<DayHours> Hours { get; set; } = [];
    [BindProperty] public IFormFile? Photo { get; set; }

    public Room? Room { get; private set; }
    public IReadOnlyList<RoomPhoto> Photos { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public sealed class RoomInput
    {
        public string? Name { get; set; }
        public string Kind { get; set; } = RoomKinds.Recording;
        public string? Description { get; set; }
        public int Capacity { get; set; } = 1;
        public string? HourlyRate { get; set; }
        public string? HalfDayRate { get; set; }
        public string? FullDayRate { get; set; }
        public int? BufferBeforeMinutes { get; set; }
        public int? BufferAfterMinutes { get; set; }
        public string CalendarColor { get; set; } = "#3b82f6";
        public bool Bookable { get; set; } = true;
        public bool Archived { get; set; }
        public int SortOrder { get; set; }
    }

    /// <summary>One weekday's opening periods as "HH:mm" texts (blank: closed).</summary>
    public sealed class DayHours
    {
        public DayOfWeek Day { get; set; }
        public string?[] Open { get; set; } = new string?[PeriodsPerDay];
        public string?[] Close { get; set; } = new string?[PeriodsPerDay];
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (Room is { } r)
            FillInput(r);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var room = new Room
        {
            Id = Room?.Id ?? 0, Name = Input.Name ?? "", Kind = Input.Kind, Description = Input.Description ?? "", Capacity = Input.Capacity,
            HourlyRate = Amount(Input.HourlyRate, "Input.HourlyRate") ?? 0, HalfDayRate = Amount(Input.HalfDayRate, "Input.HalfDayRate"),
            FullDayRate = Amount(Input.FullDayRate, "Input.FullDayRate"), BufferBeforeMinutes = Input.BufferBeforeMinutes,
            BufferAfterMinutes = Input.BufferAfterMinutes, CalendarColor = Input.CalendarColor ?? "", Bookable = Input.Bookable,
            Archived = Input.Archived, SortOrder = Input.SortOrder,
        };
        Room saved = room;
        if (!await TryAsync(async () => saved = await catalog.SaveRoomAsync(room, Actor, cancellationToken)))
            return Page();
        Message = Room is null ? localizer["The room is added. Now set its opening hours."] : localizer["The room is saved."];
        return Redirect(Url.Content($"~/admin/bookings/rooms/{saved.Id}"));
    }

    public async Task<IActionResult> OnPostHoursAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Room is null)
            return NotFound();
        var hours = new List<OpeningHours>();
        foreach (var (day, i) in Hours.Select((d, i) => (d, i)))
            for (var p = 0; p < PeriodsPerDay; p++)
            {
                var open = Minute(day.Open.ElementAtOrDefault(p), $"Hours[{i}].Open[{p}]");
                var close = Minute(day.Close.ElementAtOrDefault(p), $"Hours[{i}].Close[{p}]", close: true);
                if (open is null && close is null)
                    continue;
                if (open is null || close is null)
                    ModelState.AddModelError($"Hours[{i}].Open[{p}]", localizer["{0}: give both the opening and the closing time, or neither.", DayName(day.Day)]);
                else
                    hours.Add(new OpeningHours(day.Day, open.Value, close.Value));
            }
        if (!await TryAsync(() => catalog.SetOpeningHoursAsync(Room.Id, hours, Actor, cancellationToken), "Hours"))
        {
            FillInput(Room);
            return Page();
        }
        Message = localizer["The opening hours are saved."];
        return Redirect(Url.Content($"~/admin/bookings/rooms/{Room.Id}"));
    }

    public async Task<IActionResult> OnPostPhotoAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Room is null)
            return NotFound();
        FillInput(Room);
        if (Photo is null || Photo.Length == 0)
        {
            ModelState.AddModelError(nameof(Photo), localizer["Choose a photo to upload."]);
            return Page();
        }
        byte[] bytes;
        await using (var stream = Photo.OpenReadStream())
            bytes = await MediaInspector.ReadBoundedAsync(stream, MediaKind.Photo, cancellationToken);
        // A refusal's field is "Photo": shown beside the upload.
        if (!await TryAsync(() => photos.AddAsync(Room.Id, bytes, Actor, cancellationToken), ""))
            return Page();
        Message = localizer["The photo is added."];
        return Redirect(Url.Content($"~/admin/bookings/rooms/{Room.Id}"));
    }

    public async Task<IActionResult> OnPostDeletePhotoAsync(long photoId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken) || Room is null)
            return NotFound();
        await photos.DeleteAsync(Room.Id, photoId, Actor, cancellationToken);
        Message = localizer["The photo is deleted."];
        return Redirect(Url.Content($"~/admin/bookings/rooms/{Room.Id}"));
    }

    /// <summary>Loads the room (false when the id names none), its hours and photos.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
        if (!TryRouteId(Id, out var routeId))
            return false;
        if (routeId is not { } id)
            return true;
        Room = await catalog.GetRoomAsync(id, cancellationToken);
        if (Room is null)
            return false;
        Photos = await photos.ListAsync(id, cancellationToken);
        if (Hours.Count == 0 || Request.Method == "GET")
        {
            var stored = await catalog.GetOpeningHoursAsync(id, cancellationToken);
            Hours = Week.Select(day =>
            {
                var periods = stored.Where(h => h.Day == day).Take(PeriodsPerDay).ToList();
                return new DayHours
                {
                    Day = day,
                    Open = Enumerable.Range(0, PeriodsPerDay).Select(p => p < periods.Count ? TimeText(periods[p].OpenMinute) : null).ToArray(),
                    Close = Enumerable.Range(0, PeriodsPerDay).Select(p => p < periods.Count ? TimeText(periods[p].CloseMinute) : null).ToArray(),
                };
            }).ToList();
        }
        return true;
    }

    private void FillInput(Room r) => Input = new RoomInput
    {
        Name = r.Name, Kind = r.Kind, Description = r.Description, Capacity = r.Capacity,
        HourlyRate = AmountText(r.HourlyRate), HalfDayRate = AmountText(r.HalfDayRate), FullDayRate = AmountText(r.FullDayRate),
        BufferBeforeMinutes = r.BufferBeforeMinutes, BufferAfterMinutes = r.BufferAfterMinutes, CalendarColor = r.CalendarColor,
        Bookable = r.Bookable, Archived = r.Archived, SortOrder = r.SortOrder,
    };
}
