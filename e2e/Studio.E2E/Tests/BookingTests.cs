using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Audit;
using Studio.E2E.Infrastructure;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Portal;

namespace Studio.E2E.Tests;

/// <summary>
/// A client books a session end to end on a studio's public site (browse, pick a free time, sign in, hold,
/// confirm) and the front desk sees it in the room calendar; the portal pages pass an axe check, also at phone
/// width (375 px), where nothing scrolls sideways.
/// </summary>
public sealed class BookingTests(E2EFixture fixture) : IClassFixture<E2EFixture>
{
    private const string Password = "correct-horse-battery";
    private static readonly AuditActor Owner = new("owner", "Owner");

    [SkippableFact]
    public async Task A_client_books_a_session_and_the_front_desk_sees_it_in_the_room_calendar()
    {
        var id = Names.Unique();
        var host = $"book-{id}.localhost";
        var tenant = await fixture.Server.CreateTenantAsync(new TenantCreateRequest
        {
            Name = $"book-{id}", Hosts = [host], Theme = "Aurora", TimeZone = "Europe/Paris", Culture = "en-GB",
            Features = ["Studio.Bookings"],
        });
        var (day, serviceId) = await fixture.Server.InTenantAsync(tenant.Name, async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            await catalog.SavePolicyAsync(new BookingPolicy { Currency = "EUR", MinNoticeMinutes = 60, SlotStepMinutes = 60 }, Owner);
            var room = await catalog.SaveRoomAsync(new Room { Name = "Studio A", Kind = RoomKinds.Recording, Capacity = 5, HourlyRate = 45m, HalfDayRate = 160m, Description = "Live room with a grand piano." }, Owner);
            await catalog.SetOpeningHoursAsync(room.Id, Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours(d, 10 * 60, 20 * 60)).ToList(), Owner);
            var service = await catalog.SaveServiceAsync(new StudioService
            {
                Name = "Recording session", Description = "Record in our live room.", DurationKind = DurationKinds.Hourly, MinUnits = 1, MaxUnits = 8,
                PriceKind = PriceKinds.RoomRate, RequiresRoom = true, Public = true, RoomIds = [room.Id],
            }, Owner);
            return (sp.GetRequiredService<TenantTime>().Today.AddDays(4), service.Id);
        });
        var clientEmail = $"client-{id}@example.test";
        var deskEmail = $"desk-{id}@example.test";
        await CreateUserAsync(tenant.Name, clientEmail, "Nina Client", StudioRoles.Client);
        await CreateUserAsync(tenant.Name, deskEmail, "Frank Desk", StudioRoles.FrontDesk);

        await using var browser = await BrowserPage.OpenAsync(fixture);
        var page = browser.Page;
        var main = page.GetByRole(AriaRole.Main);
        Assert.Equal(200, (await browser.GotoAsync(fixture.Server.UrlFor(host))).Status);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Book a session" }).ClickAsync();
        await page.WaitForPageAsync(fixture.Server.UrlFor(host, "/book").AbsoluteUri);
        await AssertAccessibleAsync(page, "book");

        await main.GetByRole(AriaRole.Link, new() { Name = "Recording session", Exact = true }).ClickAsync();
        await page.GetByLabel("From").FillAsync($"{day:yyyy-MM-dd}");
        await page.GetByLabel("To").FillAsync($"{day:yyyy-MM-dd}");
        await page.GetByLabel("Hours").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show free times" }).ClickAsync();
        var slot = main.GetByRole(AriaRole.Link).Filter(new() { HasText = "14:00–16:00" });
        await Assertions.Expect(slot).ToContainTextAsync("€90.00");
        await AssertAccessibleAsync(page, "service");
        await slot.ClickAsync();

        await Assertions.Expect(main).ToContainTextAsync("Studio A");
        await AssertAccessibleAsync(page, "slot");
        // The visitor holds the time first, then signs in; the hold follows the browser.
        await page.GetByRole(AriaRole.Button, new() { Name = "Hold this time" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("We hold this time for you until");
        await AssertAccessibleAsync(page, "hold");
        await main.GetByRole(AriaRole.Link, new() { Name = "Sign in to confirm" }).ClickAsync();
        await page.GetByLabel("E-mail address").FillAsync(clientEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Confirm the booking" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm the booking" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your booking is confirmed.");
        var heading = await main.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync();
        var reference = heading.Split(' ').Last();
        await AssertAccessibleAsync(page, "booking");
        await browser.ScreenshotAsync($"{fixture.Engine}-booking-confirmed");

        // Phone width: the booking pages fit, nothing scrolls sideways, still accessible.
        await page.SetViewportSizeAsync(375, 740);
        foreach (var path in new[] { "/book", $"/book/{serviceId}?from={day:yyyy-MM-dd}&to={day:yyyy-MM-dd}", "/my/bookings", "/rooms" })
        {
            var response = await browser.GotoAsync(fixture.Server.UrlFor(host, path));
            Assert.Equal(200, response.Status);
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at 375 px");
            await AssertAccessibleAsync(page, "phone " + path);
        }
        await browser.GotoAsync(fixture.Server.UrlFor(host, "/my/bookings"));
        await Assertions.Expect(main).ToContainTextAsync("Upcoming");
        await Assertions.Expect(main).ToContainTextAsync("€90.00");
        await browser.ScreenshotAsync($"{fixture.Engine}-booking-phone");
        browser.AssertClean();

        // The front desk signs in and finds the session in the room's calendar.
        await using var desk = await BrowserPage.OpenAsync(fixture);
        var staff = desk.Page;
        await desk.GotoAsync(fixture.Server.UrlFor(host, IdentityPaths.SignIn));
        await staff.GetByLabel("E-mail address").FillAsync(deskEmail);
        await staff.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await staff.WaitForPageAsync(fixture.Server.UrlFor(host).AbsoluteUri);
        await staff.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await staff.GetByLabel("Date").FillAsync($"{day:yyyy-MM-dd}");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var row = staff.GetByRole(AriaRole.Row).Filter(new() { HasText = "Studio A" });
        await Assertions.Expect(row).ToContainTextAsync("Nina Client");
        await Assertions.Expect(row).ToContainTextAsync(reference);
        await AssertAccessibleAsync(staff, "calendar");
        await row.GetByRole(AriaRole.Link, new() { Name = "14:00–16:00" }).ClickAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(reference);
        await Assertions.Expect(staff.GetByRole(AriaRole.Main)).ToContainTextAsync("Confirmed");
        await AssertAccessibleAsync(staff, "staff booking");
        await desk.ScreenshotAsync($"{fixture.Engine}-booking-calendar");
        foreach (var path in new[] { "/studio/bookings/new", "/studio/bookings/block", $"/studio/calendar?view=day&by=engineer&date={day:yyyy-MM-dd}" })
        {
            Assert.Equal(200, (await desk.GotoAsync(fixture.Server.UrlFor(host, path))).Status);
            await AssertAccessibleAsync(staff, path);
        }
        desk.AssertClean();
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on {what} ({page.Url}): " + string.Join("; ",
            result.Violations.Select(v => $"{v.Id}: {v.Help} [{string.Join(", ", v.Nodes.Select(n => string.Join(" ", n.Target)))}]")));
    }

    private Task CreateUserAsync(string tenant, string email, string name, string role) => fixture.Server.InTenantAsync(tenant, async sp =>
    {
        var users = sp.GetRequiredService<UserManager<StudioUser>>();
        var user = new StudioUser { UserName = email, Email = email, EmailConfirmed = true, LockoutEnabled = true, DisplayName = name, CreatedUtc = DateTime.UtcNow };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return 0;
    });
}
