using Studio.Events;

namespace Studio.Bookings;

/// <summary>Feature ids of the Bookings module, for <c>[RequireFeatures]</c> on integration startups.</summary>
public static class BookingFeatures
{
    /// <summary>Rooms, services, clients, availability, bookings and the client portal.</summary>
    public const string Bookings = "Studio.Bookings";
}

/// <summary>
/// What every booking event carries: enough for a subscriber (SMS, calendar, e-signature) to act without reading
/// Bookings' tables. Times are UTC; <see cref="TimeZone"/> is the tenant's IANA zone for showing them.
/// </summary>
public abstract record BookingEventBase
{
    /// <summary>The booking's id in the tenant's data.</summary>
    public required long BookingId { get; init; }
    /// <summary>Short human reference shown to clients, e.g. <c>BK-7Q4M2X</c>.</summary>
    public required string Reference { get; init; }
    /// <summary>Series id when the booking is an occurrence of a recurring series.</summary>
    public long? SeriesId { get; init; }
    /// <summary>The client (CRM record) id, or null for staff-blocked time.</summary>
    public long? ClientId { get; init; }
    /// <summary>Client name, e-mail, phone (E.164 when known) and preferred culture, as at the event.</summary>
    public string? ClientName { get; init; }
    public string? ClientEmail { get; init; }
    public string? ClientPhone { get; init; }
    public string? ClientCulture { get; init; }
    /// <summary>Service and room names, as at the event.</summary>
    public string? ServiceName { get; init; }
    public string? RoomName { get; init; }
    /// <summary>Engineers' account ids on the session.</summary>
    public IReadOnlyList<string> EngineerUserIds { get; init; } = [];
    /// <summary>Session start and end (UTC, buffers excluded).</summary>
    public required DateTime StartUtc { get; init; }
    public required DateTime EndUtc { get; init; }
    /// <summary>The tenant's IANA time zone.</summary>
    public required string TimeZone { get; init; }
    /// <summary>Total price and deposit, in <see cref="Currency"/> (ISO 4217).</summary>
    public decimal Total { get; init; }
    public decimal Deposit { get; init; }
    public string Currency { get; init; } = "EUR";
}

/// <summary>A booking was confirmed (from a hold, or directly by staff).</summary>
[EventName("bookings.booking-confirmed.v1")]
public sealed record BookingConfirmed : BookingEventBase;

/// <summary>A confirmed booking moved to a new time (or room); the previous times are given.</summary>
[EventName("bookings.booking-rescheduled.v1")]
public sealed record BookingRescheduled : BookingEventBase
{
    public required DateTime PreviousStartUtc { get; init; }
    public required DateTime PreviousEndUtc { get; init; }
}

/// <summary>A confirmed booking was cancelled; <see cref="CancellationFee"/> follows the policy it was booked under.</summary>
[EventName("bookings.booking-cancelled.v1")]
public sealed record BookingCancelled : BookingEventBase
{
    public decimal CancellationFee { get; init; }
    public string? Reason { get; init; }
    /// <summary>True when the client cancelled (portal); false when staff did.</summary>
    public bool ByClient { get; init; }
}

/// <summary>A session took place and was marked completed.</summary>
[EventName("bookings.booking-completed.v1")]
public sealed record BookingCompleted : BookingEventBase;
