using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>English keys (for the localizer) of booking values shown to people, and what a booking costs its client.</summary>
public static class BookingLabels
{
    /// <summary>The localizer key of a status.</summary>
    public static string Status(string status) => status switch
    {
        BookingStatuses.Held => "Held",
        BookingStatuses.Confirmed => "Confirmed",
        BookingStatuses.Completed => "Completed",
        BookingStatuses.Cancelled => "Cancelled",
        BookingStatuses.NoShow => "No-show",
        BookingStatuses.Expired => "Expired",
        BookingStatuses.Blocked => "Blocked",
        _ => status,
    };

    /// <summary>The localizer key of a room kind.</summary>
    public static string RoomKind(string kind) => kind switch
    {
        RoomKinds.Recording => "Recording room",
        RoomKinds.Mixing => "Mixing room",
        RoomKinds.Mastering => "Mastering room",
        RoomKinds.Rehearsal => "Rehearsal room",
        RoomKinds.Live => "Live room",
        RoomKinds.Booth => "Booth",
        _ => kind,
    };

    /// <summary>The localizer key of a person's role on a session.</summary>
    public static string Role(string role) => role switch
    {
        "engineer" => "Engineer",
        "assistant" => "Assistant",
        "producer" => "Producer",
        "musician" => "Musician",
        _ => role,
    };

    /// <summary>
    /// What the client owes for a booking: the total of a confirmed, completed or missed (no-show) session, the
    /// cancellation fee of a cancelled one, nothing for a hold that expired. Payments are not recorded yet (the
    /// commerce module will), so this is what is due, not the open balance.
    /// </summary>
    public static decimal Owed(Booking booking) => booking.Status switch
    {
        BookingStatuses.Confirmed or BookingStatuses.Completed or BookingStatuses.NoShow => booking.Total,
        BookingStatuses.Cancelled => booking.CancellationFee ?? 0m,
        _ => 0m,
    };

    /// <summary>True when the client may still cancel or move it (confirmed and not started).</summary>
    public static bool ClientCanChange(Booking booking, DateTime utcNow) =>
        booking.Status == BookingStatuses.Confirmed && booking.StartUtc > utcNow;
}
