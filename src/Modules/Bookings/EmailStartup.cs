using Microsoft.Extensions.DependencyInjection;
using Studio.Bookings;
using Studio.Events;
using Studio.Modules;
using Studio.Modules.Bookings.Services.Portal;
using Studio.Tenancy;

namespace Studio.Modules.Bookings;

/// <summary>Where the Email feature is enabled too: the client's confirmation e-mail (with an .ics) for each confirmed booking.</summary>
[RequireFeatures("Studio.Email")]
public sealed class EmailStartup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant) =>
        services.AddEventHandler<BookingConfirmed, BookingConfirmationEmail>();
}
