namespace Studio.Modules.Bookings.Data;

/// <summary>Booking statuses. A hold blocks its slot until <c>HoldExpiresUtc</c>; "blocked" is staff-blocked time.</summary>
public static class BookingStatuses
{
    public const string Held = "held", Confirmed = "confirmed", Completed = "completed", Cancelled = "cancelled",
        NoShow = "no_show", Expired = "expired", Blocked = "blocked";

    /// <summary>Statuses whose allocations still occupy time (a held one only until it expires).</summary>
    public static IReadOnlyList<string> Occupying { get; } = [Held, Confirmed, Blocked, Completed];
}

/// <summary>A booking (a session, a hold, or blocked time).</summary>
public sealed record Booking
{
    public long Id { get; init; }
    public string Reference { get; init; } = "";
    public long? SeriesId { get; init; }
    /// <summary>For a series occurrence: its original start in the series (its recurrence id), even after a move.</summary>
    public DateTime? OccurrenceUtc { get; init; }
    public long? ClientId { get; init; }
    public long? ServiceId { get; init; }
    public long? RoomId { get; init; }
    public string SessionKind { get; init; } = SessionKinds.Hourly;
    public string Location { get; init; } = SessionKinds.Studio;
    public string Status { get; init; } = BookingStatuses.Held;
    public DateTime StartUtc { get; init; }
    public DateTime EndUtc { get; init; }
    public DateTime? HoldExpiresUtc { get; init; }
    public int BufferBeforeMinutes { get; init; }
    public int BufferAfterMinutes { get; init; }
    public string Currency { get; init; } = "EUR";
    public decimal Total { get; init; }
    public decimal Deposit { get; init; }
    public int DepositPercent { get; init; }
    /// <summary>The cancellation policy in force when booked (a later catalogue change never alters it).</summary>
    public int FreeCancelHours { get; init; }
    public int CancelFeePercent { get; init; }
    public decimal? CancellationFee { get; init; }
    public string? CancelReason { get; init; }
    public string? Title { get; init; }
    public string? Notes { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
    public int Version { get; init; }
    /// <summary>Engineers, equipment units, musicians on the session (filled by the booking service's reads).</summary>
    public IReadOnlyList<long> EngineerIds { get; init; } = [];
    public IReadOnlyList<long> ResourceIds { get; init; } = [];
    public IReadOnlyList<BookingPerson> People { get; init; } = [];
}

/// <summary>Someone on a session: role engineer | assistant | producer | musician.</summary>
public sealed record BookingPerson(string Role, long? EngineerId, long? MusicianId, string Name, string Status);

/// <summary>One entry of a booking's history.</summary>
public sealed record BookingHistoryEntry(DateTime AtUtc, string Actor, string Action, string? FromStatus, string? ToStatus,
    DateTime? OldStartUtc, DateTime? OldEndUtc, DateTime? NewStartUtc, DateTime? NewEndUtc, string? Note);

/// <summary>A recurring series (e.g. a weekly lockout): an RFC 5545 RRULE over local start times.</summary>
public sealed record BookingSeries(long Id, string RRule, DateTime FirstLocalStart, int DurationMinutes, long? ClientId,
    long? ServiceId, long? RoomId, string TimeZone, DateTime CreatedUtc);
