namespace Studio.Modules.Bookings.Data;

/// <summary>The studio's booking policy (one per tenant). Currency is the tenant's base currency until the
/// Currencies module provides it.</summary>
public sealed record BookingPolicy
{
    public string Currency { get; init; } = "EUR";
    /// <summary>How long a client's hold blocks the slot before it expires unconfirmed.</summary>
    public int HoldMinutes { get; init; } = 15;
    /// <summary>Bookings must start at least this long after now.</summary>
    public int MinNoticeMinutes { get; init; } = 120;
    /// <summary>… and at most this many days ahead.</summary>
    public int MaxAdvanceDays { get; init; } = 180;
    /// <summary>Slots are offered at this step from the opening time.</summary>
    public int SlotStepMinutes { get; init; } = 30;
    public int DefaultDepositPercent { get; init; } = 30;
    /// <summary>Set-up and tear-down around every session, unless the room says otherwise.</summary>
    public int BufferBeforeMinutes { get; init; } = 0;
    public int BufferAfterMinutes { get; init; } = 0;
}

/// <summary>Room kinds.</summary>
public static class RoomKinds
{
    public const string Recording = "recording", Mixing = "mixing", Mastering = "mastering", Rehearsal = "rehearsal", Live = "live", Booth = "booth";
    public static IReadOnlyList<string> All { get; } = [Recording, Mixing, Mastering, Rehearsal, Live, Booth];
}

/// <summary>A bookable room: a studio, booth or rehearsal space, with tiered rates (half day from 4 h, full day from 8 h).</summary>
public sealed record Room
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Kind { get; init; } = RoomKinds.Recording;
    public string Description { get; init; } = "";
    public int Capacity { get; init; } = 1;
    public decimal HourlyRate { get; init; }
    /// <summary>Price of a 4-hour block (applies from 4 h); null: hourly only.</summary>
    public decimal? HalfDayRate { get; init; }
    /// <summary>Price of an 8-hour day (applies from 8 h); null: no day rate.</summary>
    public decimal? FullDayRate { get; init; }
    /// <summary>Overrides of the policy's buffers; null: the policy's.</summary>
    public int? BufferBeforeMinutes { get; init; }
    public int? BufferAfterMinutes { get; init; }
    public string CalendarColor { get; init; } = "#3b82f6";
    public bool Bookable { get; init; } = true;
    public bool Archived { get; init; }
    public int SortOrder { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
}

/// <summary>A stored room photo (raster image, sniffed and size-checked on upload).</summary>
public sealed record RoomPhoto(long Id, long RoomId, string ContentType, string Sha256, int SortOrder);

/// <summary>Weekly opening hours of a room on one weekday, [open, close) in local minutes (0–1440).</summary>
public sealed record OpeningHours(DayOfWeek Day, int OpenMinute, int CloseMinute);

/// <summary>An exception to opening hours over local dates [From, To] inclusive: closed when no hours are given,
/// otherwise open only [OpenMinute, CloseMinute). RoomId null: the whole studio.</summary>
public sealed record Closure(long Id, long? RoomId, DateOnly From, DateOnly To, int? OpenMinute, int? CloseMinute, string Label);

/// <summary>Equipment categories.</summary>
public static class ResourceCategories
{
    public static IReadOnlyList<string> All { get; } =
        ["microphone", "preamp", "interface", "outboard", "instrument", "monitoring", "computer", "cable", "accessory", "other"];
}

/// <summary>Equipment or another limited resource: <see cref="Quantity"/> identical units, bookable with a room or alone.</summary>
public sealed record BookableResource
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Category { get; init; } = "other";
    public int Quantity { get; init; } = 1;
    public long? RoomId { get; init; }
    public decimal? HourlyRate { get; init; }
    public decimal? DailyRate { get; init; }
    public bool BookableAlone { get; init; }
    /// <summary>operational | maintenance | out_of_service</summary>
    public string Status { get; init; } = "operational";
    public bool Archived { get; init; }
}

/// <summary>An engineer: a staff account with the engineer role, made bookable.</summary>
public sealed record Engineer
{
    public long Id { get; init; }
    public string UserId { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public decimal? HourlyRate { get; init; }
    public bool Active { get; init; } = true;
}

/// <summary>Working hours ("work") or a break ("break") of an engineer on a weekday, local minutes.</summary>
public sealed record WorkingHours(DayOfWeek Day, int StartMinute, int EndMinute, string Kind = "work");

/// <summary>An engineer's time off (holiday, sickness), UTC.</summary>
public sealed record TimeOff(long Id, long EngineerId, DateTime StartUtc, DateTime EndUtc, string Reason);

/// <summary>A session musician.</summary>
public sealed record Musician(long Id, string Name, string Instruments, string? Email, decimal? HourlyRate, bool Archived);

/// <summary>Duration rules of a service.</summary>
public static class DurationKinds
{
    /// <summary>Always <c>DurationMinutes</c> long.</summary>
    public const string Fixed = "fixed";
    /// <summary>Whole hours, between MinUnits and MaxUnits.</summary>
    public const string Hourly = "hourly";
    /// <summary>Blocks of <c>DurationMinutes</c>, between MinUnits and MaxUnits blocks.</summary>
    public const string Blocks = "blocks";
}

/// <summary>How a service is priced.</summary>
public static class PriceKinds
{
    /// <summary>The price, once.</summary>
    public const string Fixed = "fixed";
    /// <summary>The price per started hour.</summary>
    public const string PerHour = "per_hour";
    /// <summary>The room's tiered rates (hourly, half day from 4 h, full day from 8 h).</summary>
    public const string RoomRate = "room_rate";
}

/// <summary>Session kinds and locations.</summary>
public static class SessionKinds
{
    public const string Hourly = "hourly", Daily = "daily", Lockout = "lockout", DryHire = "dry_hire";
    public static IReadOnlyList<string> All { get; } = [Hourly, Daily, Lockout, DryHire];
    public const string Studio = "studio", Location = "location", Remote = "remote";
    public static IReadOnlyList<string> Locations { get; } = [Studio, Location, Remote];
}

/// <summary>An item of the services catalogue.</summary>
public sealed record StudioService
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string DurationKind { get; init; } = DurationKinds.Hourly;
    public int DurationMinutes { get; init; } = 60;
    public int MinUnits { get; init; } = 1;
    public int MaxUnits { get; init; } = 12;
    public string PriceKind { get; init; } = PriceKinds.RoomRate;
    public decimal Price { get; init; }
    public int DepositPercent { get; init; } = 30;
    /// <summary>Cancellation is free until this many hours before the start …</summary>
    public int FreeCancelHours { get; init; } = 48;
    /// <summary>… then costs this percentage of the total.</summary>
    public int CancelFeePercent { get; init; } = 50;
    public string SessionKind { get; init; } = SessionKinds.Hourly;
    public string Location { get; init; } = SessionKinds.Studio;
    public bool RequiresRoom { get; init; } = true;
    public bool RequiresEngineer { get; init; }
    /// <summary>Offered on the public site (otherwise staff-only).</summary>
    public bool Public { get; init; } = true;
    public bool Archived { get; init; }
    public int SortOrder { get; init; }
    /// <summary>Rooms and engineers that can deliver it (empty: any bookable room / any active engineer).</summary>
    public IReadOnlyList<long> RoomIds { get; init; } = [];
    public IReadOnlyList<long> EngineerIds { get; init; } = [];
}

/// <summary>A price computed server-side from the catalogue, in the policy's currency.</summary>
/// <param name="Total">The session's price.</param>
/// <param name="Deposit">Deposit due (Total × DepositPercent, rounded to the currency's minor unit, half away from zero).</param>
/// <param name="DepositPercent">The percentage the deposit was computed with.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="Lines">Human-readable breakdown (already localized), e.g. "Half day (4 h) × 1".</param>
public sealed record PriceQuote(decimal Total, decimal Deposit, int DepositPercent, string Currency, IReadOnlyList<string> Lines);
