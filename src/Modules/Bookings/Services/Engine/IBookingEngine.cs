using Studio.Audit;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>Free slots for a service over a date range (tenant-local dates).</summary>
/// <param name="ServiceId">The service to deliver.</param>
/// <param name="From">First local date (inclusive).</param>
/// <param name="To">Last local date (inclusive).</param>
/// <param name="RoomId">Only this room (else any room that can deliver the service).</param>
/// <param name="EngineerId">Only this engineer (else any, when the service needs one).</param>
/// <param name="Units">Hours or blocks wanted (hourly/blocks services); null: the service's minimum.</param>
public sealed record SlotQuery(long ServiceId, DateOnly From, DateOnly To, long? RoomId = null, long? EngineerId = null, int? Units = null);

/// <summary>A free slot: session times (UTC, buffers excluded), where and with whom, and its price.</summary>
public sealed record Slot(DateTime StartUtc, DateTime EndUtc, long? RoomId, long? EngineerId, PriceQuote Price);

/// <summary>
/// Availability: honours opening hours and closures, buffers, engineers' working hours, breaks and time off,
/// minimum notice and maximum advance, existing bookings and live holds. DST-correct in the tenant's zone.
/// </summary>
public interface IAvailabilityService
{
    Task<IReadOnlyList<Slot>> FindSlotsAsync(SlotQuery query, CancellationToken cancellationToken = default);
}

/// <summary>What to book. Prices never come from here: they are computed from the catalogue.</summary>
public sealed record BookingRequest
{
    public required long ServiceId { get; init; }
    public required DateTime StartUtc { get; init; }
    /// <summary>Hours or blocks (hourly/blocks services); null: the service's minimum.</summary>
    public int? Units { get; init; }
    public long? RoomId { get; init; }
    public long? EngineerId { get; init; }
    public long? ClientId { get; init; }
    /// <summary>Extra equipment (resource ids, one unit each) and people on the session.</summary>
    public IReadOnlyList<long> ResourceIds { get; init; } = [];
    public IReadOnlyList<long> ExtraEngineerIds { get; init; } = [];
    public IReadOnlyList<long> MusicianIds { get; init; } = [];
    public string? SessionKind { get; init; }
    public string? Location { get; init; }
    public string? Notes { get; init; }
}

/// <summary>Staff-blocked time on a room, an engineer or a resource (no client, no price).</summary>
public sealed record BlockRequest(DateTime StartUtc, DateTime EndUtc, string Title, long? RoomId = null, long? EngineerId = null, long? ResourceId = null);

/// <summary>A weekly (or other RRULE) series, e.g. a lockout every Tuesday 18:00–22:00 for 8 weeks.</summary>
public sealed record SeriesRequest(BookingRequest First, string RRule);

/// <summary>A filter for listing bookings (calendar, portal, admin list).</summary>
public sealed record BookingQuery(DateTime? FromUtc = null, DateTime? ToUtc = null, long? RoomId = null, long? EngineerId = null,
    long? ClientId = null, IReadOnlyList<string>? Statuses = null, int Limit = 500);

/// <summary>
/// The booking lifecycle: request → hold → confirmed → completed | cancelled | no-show; reschedule keeps history.
/// Every change is audited and writes its event to the outbox in the same transaction. No two active allocations
/// of one room, engineer or resource unit ever overlap (PostgreSQL: exclusion constraint; SQLite: serialised
/// transaction) — a lost race is a <see cref="SlotTakenException"/>, never a 500.
/// </summary>
public interface IBookingEngine
{
    /// <summary>A client's request: holds the slot for the policy's hold minutes.</summary>
    Task<Booking> HoldAsync(BookingRequest request, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>
    /// Gives a held booking its client (the portal holds before the visitor signs in) and re-prices the deposit
    /// with the client's own percentage. Refused when the hold already belongs to another client.
    /// </summary>
    Task<Booking> AssignClientAsync(long bookingId, long clientId, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>Confirms a live hold (publishes <c>BookingConfirmed</c>).</summary>
    Task<Booking> ConfirmAsync(long bookingId, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>Staff books for a client: confirmed at once (publishes <c>BookingConfirmed</c>).</summary>
    Task<Booking> BookAsync(BookingRequest request, AuditActor actor, CancellationToken cancellationToken = default);
    Task<Booking> BlockAsync(BlockRequest request, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>Creates every occurrence of a series (each one its own booking, movable and cancellable alone).</summary>
    Task<IReadOnlyList<Booking>> BookSeriesAsync(SeriesRequest request, AuditActor actor, CancellationToken cancellationToken = default);
    Task<Booking> RescheduleAsync(long bookingId, DateTime newStartUtc, long? newRoomId, AuditActor actor, bool byClient, CancellationToken cancellationToken = default);
    /// <summary>Cancels; the fee follows the policy stored on the booking.</summary>
    Task<Booking> CancelAsync(long bookingId, string? reason, AuditActor actor, bool byClient, CancellationToken cancellationToken = default);
    Task<Booking> CompleteAsync(long bookingId, AuditActor actor, CancellationToken cancellationToken = default);
    Task<Booking> MarkNoShowAsync(long bookingId, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>What cancelling now would cost (0 within the free period).</summary>
    Task<decimal> CancellationFeeAsync(long bookingId, CancellationToken cancellationToken = default);
    Task<Booking?> GetAsync(long bookingId, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<Booking>> ListAsync(BookingQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<BookingHistoryEntry>> HistoryAsync(long bookingId, CancellationToken cancellationToken = default);
    /// <summary>Expires holds past their time (a background sweep also does it); returns how many.</summary>
    Task<int> ExpireHoldsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Someone else took the slot first. Message: "This slot was just taken…", localized.</summary>
public sealed class SlotTakenException(string message) : Exception(message);

/// <summary>The booking does not exist, or the operation does not apply to its status; message localized.</summary>
public sealed class BookingStateException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
