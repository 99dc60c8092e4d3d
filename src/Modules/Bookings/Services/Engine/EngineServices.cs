using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Tenancy;

namespace Studio.Modules.Bookings.Services.Engine;

/// <summary>Registers the Engine area of Bookings: availability, the booking engine and the hold-expiry sweep.</summary>
internal static class EngineServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddScoped<AvailabilityService>();
        services.AddScoped<IAvailabilityService>(sp => sp.GetRequiredService<AvailabilityService>());
        services.AddSingleton<SqliteWriteGate>();
        services.AddScoped<BookingEngine>();
        services.AddScoped<IBookingEngine>(sp => sp.GetRequiredService<BookingEngine>());
        var seconds = int.TryParse(tenant.Configuration["Bookings:HoldSweepSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 60;
        services.AddSingleton(sp => new HoldExpirySweep(sp, TimeSpan.FromSeconds(Math.Max(0, seconds)),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HoldExpirySweep>>()));
    }

    /// <summary>Runs once per activation: the tenant's sweep lives as long as its container.</summary>
    public static void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        tenantApp.ApplicationServices.GetRequiredService<HoldExpirySweep>().Start();

    public static void Map(IEndpointRouteBuilder endpoints)
    {
    }
}
