using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Equipment;

/// <summary>One piece of equipment (or another limited resource): quantity, room, rates, status.</summary>
public sealed class EditModel(IBookingCatalog catalog, IStringLocalizer<EditModel> localizer) : CatalogPage(localizer)
{
    [FromRoute] public string? Id { get; set; }
    [BindProperty] public ResourceInput Input { get; set; } = new();

    public BookableResource? Resource { get; private set; }
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public sealed class ResourceInput
    {
        public string? Name { get; set; }
        public string Category { get; set; } = "other";
        public int Quantity { get; set; } = 1;
        public long? RoomId { get; set; }
        public string? HourlyRate { get; set; }
        public string? DailyRate { get; set; }
        public bool BookableAlone { get; set; }
        public string Status { get; set; } = "operational";
        public bool Archived { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (Resource is { } r)
            Input = new ResourceInput
            {
                Name = r.Name, Category = r.Category, Quantity = r.Quantity, RoomId = r.RoomId, HourlyRate = AmountText(r.HourlyRate),
                DailyRate = AmountText(r.DailyRate), BookableAlone = r.BookableAlone, Status = r.Status, Archived = r.Archived,
            };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var resource = new BookableResource
        {
            Id = Resource?.Id ?? 0, Name = Input.Name ?? "", Category = Input.Category, Quantity = Input.Quantity, RoomId = Input.RoomId,
            HourlyRate = Amount(Input.HourlyRate, "Input.HourlyRate"), DailyRate = Amount(Input.DailyRate, "Input.DailyRate"),
            BookableAlone = Input.BookableAlone, Status = Input.Status, Archived = Input.Archived,
        };
        if (!await TryAsync(() => catalog.SaveResourceAsync(resource, Actor, cancellationToken)))
            return Page();
        Message = localizer["The equipment is saved."];
        return Redirect(Url.Content("~/admin/bookings/equipment"));
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Rooms = await catalog.ListRoomsAsync(cancellationToken: cancellationToken);
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
        if (!TryRouteId(Id, out var id))
            return false;
        if (id is null)
            return true;
        Resource = await catalog.GetResourceAsync(id.Value, cancellationToken);
        return Resource is not null;
    }
}
