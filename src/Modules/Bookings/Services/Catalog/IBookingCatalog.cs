using Studio.Audit;
using Studio.Modules.Bookings.Data;

namespace Studio.Modules.Bookings.Services.Catalog;

/// <summary>
/// The studio's set-up: policy, rooms, opening hours and closures, equipment, engineers, musicians and services.
/// Scoped in the tenant container over the tenant's own database. Writes validate (a
/// <see cref="BookingValidationException"/> with a localized message), are audited, and enforce plan limits where the
/// thing is created (rooms: <c>PlanLimitKeys.Rooms</c>).
/// </summary>
public interface IBookingCatalog
{
    /// <summary>The policy; its currency is the Currencies feature's base currency when that feature is on and set.</summary>
    Task<BookingPolicy> GetPolicyAsync(CancellationToken cancellationToken = default);

    /// <summary>The tenant's base currency from the Currencies feature, or null (feature off, or none chosen yet).</summary>
    Task<string?> BaseCurrencyAsync(CancellationToken cancellationToken = default);
    Task SavePolicyAsync(BookingPolicy policy, AuditActor actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Room>> ListRoomsAsync(bool includeArchived = false, CancellationToken cancellationToken = default);
    Task<Room?> GetRoomAsync(long id, CancellationToken cancellationToken = default);
    /// <summary>Creates (Id 0) or updates a room; returns it as stored.</summary>
    Task<Room> SaveRoomAsync(Room room, AuditActor actor, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<OpeningHours>> GetOpeningHoursAsync(long roomId, CancellationToken cancellationToken = default);
    Task SetOpeningHoursAsync(long roomId, IReadOnlyList<OpeningHours> hours, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>Closures touching [from, to] for a room, including studio-wide ones.</summary>
    Task<IReadOnlyList<Closure>> ListClosuresAsync(long? roomId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
    Task<Closure> SaveClosureAsync(Closure closure, AuditActor actor, CancellationToken cancellationToken = default);
    Task DeleteClosureAsync(long id, AuditActor actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BookableResource>> ListResourcesAsync(bool includeArchived = false, CancellationToken cancellationToken = default);
    Task<BookableResource?> GetResourceAsync(long id, CancellationToken cancellationToken = default);
    Task<BookableResource> SaveResourceAsync(BookableResource resource, AuditActor actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Engineer>> ListEngineersAsync(bool includeInactive = false, CancellationToken cancellationToken = default);
    Task<Engineer?> GetEngineerAsync(long id, CancellationToken cancellationToken = default);
    Task<Engineer?> FindEngineerByUserAsync(string userId, CancellationToken cancellationToken = default);
    /// <summary>Makes a staff account with the engineer role bookable (or updates it).</summary>
    Task<Engineer> SaveEngineerAsync(Engineer engineer, AuditActor actor, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<WorkingHours>> GetWorkingHoursAsync(long engineerId, CancellationToken cancellationToken = default);
    Task SetWorkingHoursAsync(long engineerId, IReadOnlyList<WorkingHours> hours, AuditActor actor, CancellationToken cancellationToken = default);
    /// <summary>Time off overlapping [fromUtc, toUtc).</summary>
    Task<IReadOnlyList<TimeOff>> ListTimeOffAsync(long engineerId, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default);
    Task<TimeOff> AddTimeOffAsync(TimeOff timeOff, AuditActor actor, CancellationToken cancellationToken = default);
    Task DeleteTimeOffAsync(long id, AuditActor actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Musician>> ListMusiciansAsync(CancellationToken cancellationToken = default);
    Task<Musician> SaveMusicianAsync(Musician musician, AuditActor actor, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StudioService>> ListServicesAsync(bool publicOnly = false, CancellationToken cancellationToken = default);
    Task<StudioService?> GetServiceAsync(long id, CancellationToken cancellationToken = default);
    Task<StudioService> SaveServiceAsync(StudioService service, AuditActor actor, CancellationToken cancellationToken = default);
}

/// <summary>Computes prices from the catalogue, never from what a client sent.</summary>
public interface IBookingPricing
{
    /// <summary>
    /// The price of <paramref name="service"/> in <paramref name="room"/> (null when the service needs none) from
    /// <paramref name="startUtc"/> to <paramref name="endUtc"/>, with the deposit for <paramref name="client"/> (its
    /// default deposit percentage overrides the service's).
    /// </summary>
    PriceQuote Quote(StudioService service, Room? room, DateTime startUtc, DateTime endUtc, Client? client, BookingPolicy policy);
}

/// <summary>Bad input to a Bookings operation; <see cref="Exception.Message"/> is localized and safe to show.</summary>
public sealed class BookingValidationException(string message, string? field = null) : Exception(message)
{
    /// <summary>The offending field (for ModelState), if one.</summary>
    public string? Field { get; } = field;
}
