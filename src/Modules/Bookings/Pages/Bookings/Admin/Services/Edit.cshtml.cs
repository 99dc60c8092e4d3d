using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;

namespace Studio.Modules.Bookings.Pages.Bookings.Admin.Services;

/// <summary>A service: duration rule, price, deposit, cancellation policy, where and by whom it is delivered.</summary>
public sealed class EditModel(IBookingCatalog catalog, IStringLocalizer<EditModel> localizer) : CatalogPage(localizer)
{
    [FromRoute] public string? Id { get; set; }
    [BindProperty] public ServiceInput Input { get; set; } = new();

    public StudioService? Service { get; private set; }
    public IReadOnlyList<Room> Rooms { get; private set; } = [];
    public IReadOnlyList<Engineer> Engineers { get; private set; } = [];
    public string Currency { get; private set; } = "EUR";

    public sealed class ServiceInput
    {
        public string? Name { get; set; }
        public string? Description { get; set; }
        public string DurationKind { get; set; } = DurationKinds.Hourly;
        public int DurationMinutes { get; set; } = 60;
        public int MinUnits { get; set; } = 1;
        public int MaxUnits { get; set; } = 8;
        public string PriceKind { get; set; } = PriceKinds.RoomRate;
        public string? Price { get; set; }
        public int DepositPercent { get; set; } = 30;
        public int FreeCancelHours { get; set; } = 48;
        public int CancelFeePercent { get; set; } = 50;
        public string SessionKind { get; set; } = SessionKinds.Hourly;
        public string Location { get; set; } = SessionKinds.Studio;
        public bool RequiresRoom { get; set; } = true;
        public bool RequiresEngineer { get; set; }
        public bool Public { get; set; } = true;
        public bool Archived { get; set; }
        public int SortOrder { get; set; }
        public List<long> RoomIds { get; set; } = [];
        public List<long> EngineerIds { get; set; } = [];
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (Service is { } s)
        {
            Input = new ServiceInput
            {
                Name = s.Name, Description = s.Description, DurationKind = s.DurationKind, DurationMinutes = s.DurationMinutes,
                MinUnits = s.MinUnits, MaxUnits = s.MaxUnits, PriceKind = s.PriceKind, Price = AmountText(s.Price),
                DepositPercent = s.DepositPercent, FreeCancelHours = s.FreeCancelHours, CancelFeePercent = s.CancelFeePercent,
                SessionKind = s.SessionKind, Location = s.Location, RequiresRoom = s.RequiresRoom, RequiresEngineer = s.RequiresEngineer,
                Public = s.Public, Archived = s.Archived, SortOrder = s.SortOrder, RoomIds = [.. s.RoomIds], EngineerIds = [.. s.EngineerIds],
            };
        }
        else
        {
            // A new service starts with the studio's default deposit.
            Input.DepositPercent = (await catalog.GetPolicyAsync(cancellationToken)).DefaultDepositPercent;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var service = new StudioService
        {
            Id = Service?.Id ?? 0, Name = Input.Name ?? "", Description = Input.Description ?? "", DurationKind = Input.DurationKind,
            DurationMinutes = Input.DurationMinutes, MinUnits = Input.MinUnits, MaxUnits = Input.MaxUnits, PriceKind = Input.PriceKind,
            Price = Amount(Input.Price, "Input.Price") ?? 0, DepositPercent = Input.DepositPercent, FreeCancelHours = Input.FreeCancelHours,
            CancelFeePercent = Input.CancelFeePercent, SessionKind = Input.SessionKind, Location = Input.Location,
            RequiresRoom = Input.RequiresRoom, RequiresEngineer = Input.RequiresEngineer, Public = Input.Public, Archived = Input.Archived,
            SortOrder = Input.SortOrder, RoomIds = Input.RoomIds, EngineerIds = Input.EngineerIds,
        };
        if (!await TryAsync(() => catalog.SaveServiceAsync(service, Actor, cancellationToken)))
            return Page();
        Message = localizer["The service is saved."];
        return Redirect(Url.Content("~/admin/bookings/services"));
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Rooms = await catalog.ListRoomsAsync(cancellationToken: cancellationToken);
        Engineers = await catalog.ListEngineersAsync(includeInactive: true, cancellationToken);
        Currency = (await catalog.GetPolicyAsync(cancellationToken)).Currency;
        if (!TryRouteId(Id, out var id))
            return false;
        if (id is null)
            return true;
        Service = await catalog.GetServiceAsync(id.Value, cancellationToken);
        return Service is not null;
    }
}
