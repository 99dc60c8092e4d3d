using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Portal;
using Studio.Security;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Bookings;

/// <summary>A host whose public booking budget is tiny, to see it spent.</summary>
public sealed class PublicBookingLimitFactory : StudioFactory
{
    public const int Permits = 3;

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings[$"Studio:RateLimits:{RateLimitPolicies.PublicBooking}:PermitLimit"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[$"Studio:RateLimits:{RateLimitPolicies.PublicBooking}:Window"] = "01:00:00";
        return settings;
    }
}

/// <summary>The portal's public booking page is rate-limited per tenant and address; browsing is not.</summary>
public sealed class PortalRateLimitTests(PublicBookingLimitFactory factory) : StudioTest<PublicBookingLimitFactory>(factory)
{
    [Fact]
    public async Task The_slot_page_answers_429_after_the_public_booking_budget_but_browsing_goes_on()
    {
        var tenant = await CreateTenantAsync(["Studio.Bookings"]);
        var s = await PortalTests.SetUpAsync(Factory, tenant);
        var client = await Factory.ClientAsAsync(tenant, Studio.Identity.StudioRoles.Client);
        var url = $"/book/{s.ServiceId}/slot?start=nonsense";
        // Showing the page costs nothing; each post (a hold attempt) spends the budget.
        var form = await GetStringAsync(client, url);
        for (var i = 0; i < PublicBookingLimitFactory.Permits + 2; i++)
            await GetStringAsync(client, url);
        for (var i = 0; i < PublicBookingLimitFactory.Permits; i++)
        {
            using var attempt = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(await GetStringAsync(client, "/account/sign-in")) }));
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
            Assert.Contains("This time is not valid.", await attempt.Content.ReadAsStringAsync());
        }
        using var refused = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = AntiforgeryToken(await GetStringAsync(client, "/account/sign-in")) }));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null);
        await GetStringAsync(client, "/book");
        await GetStringAsync(client, $"/book/{s.ServiceId}");
        Assert.Contains("This time is not valid.", form);
    }
}

/// <summary>Wall clock ↔ UTC in the tenant's zone, across both DST changes.</summary>
public sealed class TenantTimeTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Local_times_convert_across_both_dst_changes_and_a_skipped_time_is_refused_with_the_message()
    {
        var tenant = await CreateTenantAsync(["Studio.Bookings"], r => r with { TimeZone = "Europe/Paris" });
        await Factory.InTenantAsync(tenant.Name, sp =>
        {
            var time = sp.GetRequiredService<TenantTime>();
            Assert.Equal("Europe/Paris", time.Zone.Id);
            // Winter (UTC+1), summer (UTC+2).
            Assert.Equal(new DateTime(2026, 1, 15, 9, 0, 0, DateTimeKind.Utc), time.ToUtc(new DateTime(2026, 1, 15, 10, 0, 0), "gap"));
            Assert.Equal(new DateTime(2026, 7, 15, 8, 0, 0, DateTimeKind.Utc), time.ToUtc(new DateTime(2026, 7, 15, 10, 0, 0), "gap"));
            // 29 March 2026 02:30 does not exist in Paris.
            var gap = Assert.Throws<BookingValidationException>(() => time.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0), "That time does not exist."));
            Assert.Equal("That time does not exist.", gap.Message);
            // 25 October 2026 02:30 happens twice: the first one (summer time, UTC+2) is taken.
            Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), time.ToUtc(new DateTime(2026, 10, 25, 2, 30, 0), "gap"));
            Assert.Equal(new DateTime(2026, 10, 25, 3, 30, 0), time.ToLocal(new DateTime(2026, 10, 25, 2, 30, 0, DateTimeKind.Utc)));
            // Days are 23 and 25 hours long on the change days.
            Assert.Equal(TimeSpan.FromHours(23), time.StartOfDayUtc(new DateOnly(2026, 3, 30)) - time.StartOfDayUtc(new DateOnly(2026, 3, 29)));
            Assert.Equal(TimeSpan.FromHours(25), time.StartOfDayUtc(new DateOnly(2026, 10, 26)) - time.StartOfDayUtc(new DateOnly(2026, 10, 25)));
            Assert.Equal("2026-10-25T00:30Z", TenantTime.ToToken(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc)));
            Assert.Equal(new DateTime(2026, 10, 25, 0, 30, 0, DateTimeKind.Utc), TenantTime.FromToken("2026-10-25T00:30Z"));
            Assert.Null(TenantTime.FromToken("2026-10-25 00:30"));
            return Task.FromResult(0);
        });
    }
}
