using Studio.Localization;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Portal;

/// <summary>English keys (for the localizer) of booking values shown to people, and what a booking costs its client.</summary>
public static class BookingLabels
{
    /// <summary>The localizer key of a status.</summary>
    public static string Status(string status) => status switch
    {
        BookingStatuses.Held => Localizable.Text("Held"),
        BookingStatuses.Confirmed => Localizable.Text("Confirmed"),
        BookingStatuses.Completed => Localizable.Text("Completed"),
        BookingStatuses.Cancelled => Localizable.Text("Cancelled"),
        BookingStatuses.NoShow => Localizable.Text("No-show"),
        BookingStatuses.Expired => Localizable.Text("Expired"),
        BookingStatuses.Blocked => Localizable.Text("Blocked"),
        _ => status,
    };

    /// <summary>The localizer key of a room kind.</summary>
    public static string RoomKind(string kind) => kind switch
    {
        RoomKinds.Recording => Localizable.Text("Recording room"),
        RoomKinds.Mixing => Localizable.Text("Mixing room"),
        RoomKinds.Mastering => Localizable.Text("Mastering room"),
        RoomKinds.Rehearsal => Localizable.Text("Rehearsal room"),
        RoomKinds.Live => Localizable.Text("Live room"),
        RoomKinds.Booth => Localizable.Text("Booth"),
        _ => kind,
    };

    /// <summary>The localizer key of a person's role on a session.</summary>
    public static string Role(string role) => role switch
    {
        "engineer" => Localizable.Text("Engineer"),
        "assistant" => Localizable.Text("Assistant"),
        "producer" => Localizable.Text("Producer"),
        "musician" => Localizable.Text("Musician"),
        _ => role,
    };

    /// <summary>The localizer key of an equipment category.</summary>
    public static string ResourceCategory(string category) => category switch
    {
        "microphone" => Localizable.Text("Microphone"),
        "preamp" => Localizable.Text("Preamp"),
        "interface" => Localizable.Text("Audio interface"),
        "outboard" => Localizable.Text("Outboard gear"),
        "instrument" => Localizable.Text("Instrument"),
        "monitoring" => Localizable.Text("Monitoring"),
        "computer" => Localizable.Text("Computer"),
        "cable" => Localizable.Text("Cable"),
        "accessory" => Localizable.Text("Accessory"),
        "other" => Localizable.Text("Other"),
        _ => category,
    };

    /// <summary>The localizer key of an equipment status.</summary>
    public static string ResourceStatus(string status) => status switch
    {
        "operational" => Localizable.Text("Operational"),
        "maintenance" => Localizable.Text("In maintenance"),
        "out_of_service" => Localizable.Text("Out of service"),
        _ => status,
    };

    /// <summary>The localizer key of a session kind.</summary>
    public static string SessionKind(string kind) => kind switch
    {
        SessionKinds.Hourly => Localizable.Text("Hourly session"),
        SessionKinds.Daily => Localizable.Text("Day session"),
        SessionKinds.Lockout => Localizable.Text("Lockout"),
        SessionKinds.DryHire => Localizable.Text("Dry hire"),
        _ => kind,
    };

    /// <summary>The localizer key of where a session takes place.</summary>
    public static string Location(string location) => location switch
    {
        SessionKinds.Studio => Localizable.Text("At the studio"),
        SessionKinds.Location => Localizable.Text("On location"),
        SessionKinds.Remote => Localizable.Text("Remote"),
        _ => location,
    };

    /// <summary>The localizer key of an entry of a booking's history.</summary>
    public static string HistoryAction(string action) => action switch
    {
        "held" => Localizable.Text("Held"),
        "booked" => Localizable.Text("Booked"),
        "blocked" => Localizable.Text("Blocked"),
        "client" => Localizable.Text("Given to a client"),
        "confirmed" => Localizable.Text("Confirmed"),
        "rescheduled" => Localizable.Text("Rescheduled"),
        "cancelled" => Localizable.Text("Cancelled"),
        "completed" => Localizable.Text("Completed"),
        "no_show" => Localizable.Text("No-show"),
        "expired" => Localizable.Text("Expired"),
        _ => action,
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
