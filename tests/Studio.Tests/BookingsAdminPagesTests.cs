using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Platform;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The bookings set-up pages under /admin/bookings: who may use them, forms, refusals, photos, the plan limit.</summary>
public sealed class BookingsAdminPagesTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Bookings = ["Studio.Bookings"];

    private Task<T> InCatalogAsync<T>(string tenant, Func<IBookingCatalog, Task<T>> work) =>
        Factory.InTenantAsync(tenant, sp => work(sp.GetRequiredService<IBookingCatalog>()));

    /// <summary>GETs <paramref name="page"/>, then posts its first form (or the one for <paramref name="handler"/>) with <paramref name="fields"/>.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, Dictionary<string, string> fields, string? handler = null)
    {
        var html = await GetStringAsync(client, page);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(html) };
        return await client.PostAsync(handler is null ? page : $"{page}?handler={handler}", new FormUrlEncodedContent(form));
    }

    private static Dictionary<string, string> RoomForm(string name, string hourly = "55.50") => new()
    {
        ["Input.Name"] = name, ["Input.Kind"] = RoomKinds.Recording, ["Input.Description"] = "Big live room", ["Input.Capacity"] = "5",
        ["Input.HourlyRate"] = hourly, ["Input.HalfDayRate"] = "200", ["Input.FullDayRate"] = "", ["Input.CalendarColor"] = "#112233",
        ["Input.Bookable"] = "true", ["Input.SortOrder"] = "0",
    };

    [Fact]
    public async Task Only_owners_and_admins_reach_the_set_up_pages_and_the_feature_gates_them()
    {
        var t = await CreateTenantAsync(Bookings);
        foreach (var role in new[] { StudioRoles.Engineer, StudioRoles.FrontDesk, StudioRoles.Client })
        {
            var client = await Factory.ClientAsAsync(t, role);
            using var denied = await client.GetAsync("admin/bookings/rooms");
            Assert.True(denied.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{role}: {(int)denied.StatusCode}");
            if (denied.StatusCode == HttpStatusCode.Redirect)
                Assert.DoesNotContain("/admin/bookings", denied.Headers.Location!.ToString().Split('?')[0]);
        }
        using (var anonymous = await t.Client.GetAsync("admin/bookings"))
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);

        foreach (var role in new[] { StudioRoles.Owner, StudioRoles.Admin })
        {
            var client = await Factory.ClientAsAsync(t, role);
            foreach (var page in new[] { "admin/bookings", "admin/bookings/rooms", "admin/bookings/rooms/new", "admin/bookings/closures",
                "admin/bookings/equipment", "admin/bookings/equipment/new", "admin/bookings/engineers", "admin/bookings/musicians",
                "admin/bookings/musicians/new", "admin/bookings/services", "admin/bookings/services/new" })
            {
                var html = await GetStringAsync(client, page);
                Assert.DoesNotContain("style=\"", html.Replace("style=\"display:none\"", ""));
                Assert.DoesNotContain("<script>", html);
            }
            await GetStringAsync(client, "admin/bookings/rooms/999", HttpStatusCode.NotFound);
            await GetStringAsync(client, "admin/bookings/rooms/nonsense", HttpStatusCode.NotFound);
        }

        var without = await Factory.AsAsync(await CreateTenantAsync());
        await GetStringAsync(without.Client, "admin/bookings", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_owner_sets_the_policy_and_a_bad_value_is_a_localized_form_error()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Bookings));
        var fields = new Dictionary<string, string>
        {
            ["Input.Currency"] = "gbp", ["Input.HoldMinutes"] = "20", ["Input.MinNoticeMinutes"] = "60", ["Input.MaxAdvanceDays"] = "90",
            ["Input.SlotStepMinutes"] = "15", ["Input.DefaultDepositPercent"] = "25", ["Input.BufferBeforeMinutes"] = "10", ["Input.BufferAfterMinutes"] = "0",
        };
        using (var saved = await PostFormAsync(t.Client, "admin/bookings", fields))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var policy = await InCatalogAsync(t.Name, c => c.GetPolicyAsync());
        Assert.Equal(new BookingPolicy { Currency = "GBP", HoldMinutes = 20, MinNoticeMinutes = 60, MaxAdvanceDays = 90, SlotStepMinutes = 15, DefaultDepositPercent = 25, BufferBeforeMinutes = 10 }, policy);

        fields["Input.SlotStepMinutes"] = "7";
        using (var refused = await PostFormAsync(t.Client, "admin/bookings", fields))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("divide a day evenly", await refused.Content.ReadAsStringAsync());
        }
        fields["Input.SlotStepMinutes"] = "abc";
        using (var garbage = await PostFormAsync(t.Client, "admin/bookings", fields))
        {
            Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
            Assert.Contains("is not a valid value", WebUtility.HtmlDecode(await garbage.Content.ReadAsStringAsync()));
        }
        Assert.Equal(15, (await InCatalogAsync(t.Name, c => c.GetPolicyAsync())).SlotStepMinutes);
    }

    [Fact]
    public async Task A_room_is_added_with_hours_and_a_photo_which_is_served_and_svg_is_refused()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Bookings));
        using var created = await PostFormAsync(t.Client, "admin/bookings/rooms/new", RoomForm("Studio A"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var room = Assert.Single(await InCatalogAsync(t.Name, c => c.ListRoomsAsync()));
        Assert.Equal(55.50m, room.HourlyRate);
        Assert.Null(room.FullDayRate);
        Assert.EndsWith($"/admin/bookings/rooms/{room.Id}", created.Headers.Location!.ToString());
        var page = $"admin/bookings/rooms/{room.Id}";
        Assert.Contains("Studio A", await GetStringAsync(t.Client, "admin/bookings/rooms"));

        // A comma amount in an English page is refused, not misread.
        using (var comma = await PostFormAsync(t.Client, page, RoomForm("Studio A", "55,50")))
        {
            Assert.Equal(HttpStatusCode.OK, comma.StatusCode);
            Assert.Contains("is not an amount", WebUtility.HtmlDecode(await comma.Content.ReadAsStringAsync()));
        }

        var hours = new Dictionary<string, string>();
        for (var i = 0; i < 7; i++)
        {
            hours[$"Hours[{i}].Day"] = ((DayOfWeek)((i + 1) % 7)).ToString();
            hours[$"Hours[{i}].Open[0]"] = i < 5 ? "09:00" : "";
            hours[$"Hours[{i}].Close[0]"] = i < 5 ? "13:00" : "";
            hours[$"Hours[{i}].Open[1]"] = i < 5 ? "14:00" : i == 5 ? "10:00" : "";
            hours[$"Hours[{i}].Close[1]"] = i < 5 ? "00:00" : i == 5 ? "18:00" : "";
        }
        using (var savedHours = await PostFormAsync(t.Client, page, hours, "Hours"))
            Assert.Equal(HttpStatusCode.Redirect, savedHours.StatusCode);
        var stored = await InCatalogAsync(t.Name, c => c.GetOpeningHoursAsync(room.Id));
        Assert.Equal(11, stored.Count);
        Assert.Contains(new OpeningHours(DayOfWeek.Friday, 14 * 60, 1440), stored);
        Assert.Contains(new OpeningHours(DayOfWeek.Saturday, 10 * 60, 18 * 60), stored);
        Assert.DoesNotContain(stored, h => h.Day == DayOfWeek.Sunday);
        hours["Hours[0].Close[0]"] = "15:00"; // overlaps the afternoon
        using (var overlapping = await PostFormAsync(t.Client, page, hours, "Hours"))
        {
            Assert.Equal(HttpStatusCode.OK, overlapping.StatusCode);
            Assert.Contains("overlap", await overlapping.Content.ReadAsStringAsync());
        }
        Assert.Equal(11, (await InCatalogAsync(t.Name, c => c.GetOpeningHoursAsync(room.Id))).Count);

        var png = TestImages.Png(40, 30, 0x20, 0x80, 0x20);
        using (var uploaded = await UploadAsync(t.Client, page, png, "room.jpg", "image/jpeg"))
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var photo = Assert.Single(await Factory.InTenantAsync(t.Name, sp => sp.GetRequiredService<RoomPhotoStore>().ListAsync(room.Id)));
        Assert.Equal("image/png", photo.ContentType);
        var url = RoomPhotoStore.UrlOf(photo);
        Assert.Contains(url, await GetStringAsync(t.Client, page));
        using (var served = await Factory.ClientFor(t.Host).GetAsync(url.TrimStart('/')))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(png, await served.Content.ReadAsByteArrayAsync());
        }
        await GetStringAsync(Factory.ClientFor(t.Host), url.Replace(photo.Sha256, new string('0', 64)).TrimStart('/'), HttpStatusCode.NotFound);
        await GetStringAsync(Factory.ClientFor(t.Host), $"media/rooms/{room.Id + 1}/{photo.Id}-{photo.Sha256}.png", HttpStatusCode.NotFound);

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();
        using (var refused = await UploadAsync(t.Client, page, svg, "room.png", "image/png"))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("SVG and other markup files are not accepted", await refused.Content.ReadAsStringAsync());
        }
        Assert.Single(await Factory.InTenantAsync(t.Name, sp => sp.GetRequiredService<RoomPhotoStore>().ListAsync(room.Id)));

        // Another tenant cannot serve this tenant's photo.
        var other = await CreateTenantAsync(Bookings);
        await GetStringAsync(other.Client, url.TrimStart('/'), HttpStatusCode.NotFound);

        using (var deleted = await PostFormAsync(t.Client, page, new() { ["photoId"] = photo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "DeletePhoto"))
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Empty(await Factory.InTenantAsync(t.Name, sp => sp.GetRequiredService<RoomPhotoStore>().ListAsync(room.Id)));
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string page, byte[] bytes, string fileName, string contentType)
    {
        var html = await GetStringAsync(client, page);
        var content = new MultipartFormDataContent { { new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken" } };
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        content.Add(part, "Photo", fileName);
        return await client.PostAsync($"{page}?handler=Photo", content);
    }

    [Fact]
    public async Task The_rooms_plan_limit_shows_on_the_page_and_nothing_is_written()
    {
        var plan = await Factory.Get<IPlanCatalog>().SaveAsync(new PlatformActor("op-test", "Operator"), new PlanDefinition
        {
            Id = NewName("p"), Name = "One room", Include = ["*"], Limits = new Dictionary<string, long> { [PlanLimitKeys.Rooms] = 1 },
        }, expectedVersion: null);
        var t = await Factory.AsAsync(await CreateTenantAsync(Bookings, r => r with { Plan = plan.Id }));
        using (var first = await PostFormAsync(t.Client, "admin/bookings/rooms/new", RoomForm("One")))
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using (var second = await PostFormAsync(t.Client, "admin/bookings/rooms/new", RoomForm("Two")))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Contains("validation-summary-errors", await second.Content.ReadAsStringAsync());
        }
        Assert.Single(await InCatalogAsync(t.Name, c => c.ListRoomsAsync(includeArchived: true)));
    }

    [Fact]
    public async Task Engineers_are_picked_from_staff_with_the_role_and_get_hours_and_time_off_in_the_studio_zone()
    {
        var tenant = await CreateTenantAsync(Bookings, r => r with { TimeZone = "Europe/Paris" });
        var t = await Factory.AsAsync(tenant);
        var sam = await Factory.CreateUserAsync(t.Name, [StudioRoles.Engineer], displayName: "Sam Sound");
        var desk = await Factory.CreateUserAsync(t.Name, [StudioRoles.FrontDesk], displayName: "Desk Person");
        var list = await GetStringAsync(t.Client, "admin/bookings/engineers");
        Assert.Contains("Sam Sound", list);
        Assert.DoesNotContain("Desk Person", list);

        using (var forged = await PostFormAsync(t.Client, "admin/bookings/engineers", new() { ["UserId"] = desk.Id, ["HourlyRate"] = "" }))
        {
            Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
            Assert.Contains("engineer role", await forged.Content.ReadAsStringAsync());
        }
        using var added = await PostFormAsync(t.Client, "admin/bookings/engineers", new() { ["UserId"] = sam.Id, ["HourlyRate"] = "35" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var engineer = Assert.Single(await InCatalogAsync(t.Name, c => c.ListEngineersAsync()));
        Assert.Equal(35m, engineer.HourlyRate);
        var page = $"admin/bookings/engineers/{engineer.Id}";

        var days = new Dictionary<string, string>();
        for (var i = 0; i < 7; i++)
        {
            days[$"Days[{i}].Day"] = ((DayOfWeek)((i + 1) % 7)).ToString();
            days[$"Days[{i}].From"] = i < 5 ? "10:00" : "";
            days[$"Days[{i}].To"] = i < 5 ? "19:00" : "";
            days[$"Days[{i}].BreakFrom"] = i < 5 ? "13:00" : "";
            days[$"Days[{i}].BreakTo"] = i < 5 ? "14:00" : "";
        }
        using (var savedHours = await PostFormAsync(t.Client, page, days, "Hours"))
            Assert.Equal(HttpStatusCode.Redirect, savedHours.StatusCode);
        var hours = await InCatalogAsync(t.Name, c => c.GetWorkingHoursAsync(engineer.Id));
        Assert.Equal(10, hours.Count);
        Assert.Contains(new WorkingHours(DayOfWeek.Monday, 13 * 60, 14 * 60, "break"), hours);

        using (var off = await PostFormAsync(t.Client, page, new() { ["Off.From"] = "2026-07-01T09:00", ["Off.To"] = "2026-07-15T18:00", ["Off.Reason"] = "Holiday" }, "TimeOff"))
            Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        var stored = Assert.Single(await InCatalogAsync(t.Name, c => c.ListTimeOffAsync(engineer.Id, new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc))));
        Assert.Equal(new DateTime(2026, 7, 1, 7, 0, 0, DateTimeKind.Utc), stored.StartUtc); // Paris is UTC+2 in summer
        // 02:30 on the last Sunday of March does not exist in Paris.
        using (var gap = await PostFormAsync(t.Client, page, new() { ["Off.From"] = "2026-03-29T02:30", ["Off.To"] = "2026-03-29T05:00", ["Off.Reason"] = "" }, "TimeOff"))
        {
            Assert.Equal(HttpStatusCode.OK, gap.StatusCode);
            Assert.Contains("does not exist in the studio", WebUtility.HtmlDecode(await gap.Content.ReadAsStringAsync()));
        }
    }

    [Fact]
    public async Task Services_equipment_musicians_and_closures_are_managed_through_their_pages()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Bookings));
        var room = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(BookingsCatalogTests.SampleRoom(), new("test", "Test")));
        var service = new Dictionary<string, string>
        {
            ["Input.Name"] = "Mixing", ["Input.Description"] = "", ["Input.SessionKind"] = SessionKinds.Hourly, ["Input.Location"] = SessionKinds.Studio,
            ["Input.Public"] = "true", ["Input.SortOrder"] = "0", ["Input.DurationKind"] = DurationKinds.Blocks, ["Input.DurationMinutes"] = "90",
            ["Input.MinUnits"] = "1", ["Input.MaxUnits"] = "4", ["Input.PriceKind"] = PriceKinds.PerHour, ["Input.Price"] = "45.5",
            ["Input.DepositPercent"] = "20", ["Input.FreeCancelHours"] = "24", ["Input.CancelFeePercent"] = "100",
            ["Input.RequiresRoom"] = "true", ["Input.RoomIds"] = room.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using (var saved = await PostFormAsync(t.Client, "admin/bookings/services/new", service))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = Assert.Single(await InCatalogAsync(t.Name, c => c.ListServicesAsync()));
        Assert.Equal((90, 45.5m, 20, 100), (stored.DurationMinutes, stored.Price, stored.DepositPercent, stored.CancelFeePercent));
        Assert.Equal([room.Id], stored.RoomIds);
        service["Input.MaxUnits"] = "0";
        using (var refused = await PostFormAsync(t.Client, $"admin/bookings/services/{stored.Id}", service))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("The maximum must not be below the minimum.", await refused.Content.ReadAsStringAsync());
        }
        Assert.Contains("Mixing", await GetStringAsync(t.Client, "admin/bookings/services"));

        using (var mic = await PostFormAsync(t.Client, "admin/bookings/equipment/new", new()
        {
            ["Input.Name"] = "SM7B", ["Input.Category"] = "microphone", ["Input.Quantity"] = "3", ["Input.RoomId"] = "", ["Input.HourlyRate"] = "",
            ["Input.DailyRate"] = "12.5", ["Input.Status"] = "operational",
        }))
            Assert.Equal(HttpStatusCode.Redirect, mic.StatusCode);
        Assert.Equal((3, 12.5m), Assert.Single(await InCatalogAsync(t.Name, c => c.ListResourcesAsync())) is var r ? (r.Quantity, r.DailyRate) : default);

        using (var player = await PostFormAsync(t.Client, "admin/bookings/musicians/new", new() { ["Input.Name"] = "Jo Keys", ["Input.Instruments"] = "piano", ["Input.Email"] = "", ["Input.HourlyRate"] = "" }))
            Assert.Equal(HttpStatusCode.Redirect, player.StatusCode);
        Assert.Equal("Jo Keys", Assert.Single(await InCatalogAsync(t.Name, c => c.ListMusiciansAsync())).Name);

        using (var closure = await PostFormAsync(t.Client, "admin/bookings/closures", new()
        {
            ["Input.RoomId"] = "", ["Input.From"] = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Input.To"] = "", ["Input.Open"] = "", ["Input.Close"] = "", ["Input.Label"] = "Inventory day",
        }))
            Assert.Equal(HttpStatusCode.Redirect, closure.StatusCode);
        Assert.Contains("Inventory day", await GetStringAsync(t.Client, "admin/bookings/closures"));
        using (var half = await PostFormAsync(t.Client, "admin/bookings/closures", new()
        {
            ["Input.RoomId"] = "", ["Input.From"] = "2026-12-31", ["Input.To"] = "", ["Input.Open"] = "10:00", ["Input.Close"] = "", ["Input.Label"] = "Half",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, half.StatusCode);
            Assert.Contains("or neither", await half.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task The_demo_recipe_sets_up_bookings()
    {
        var t = await CreateTenantAsync(configure: r => r with { Recipe = "demo-studio" });
        var rooms = await InCatalogAsync(t.Name, c => c.ListRoomsAsync());
        Assert.Equal(["Studio A", "Rehearsal Room"], rooms.Select(r => r.Name));
        Assert.Equal(440m, rooms[0].FullDayRate);
        Assert.NotEmpty(await InCatalogAsync(t.Name, c => c.GetOpeningHoursAsync(rooms[0].Id)));
        var services = await InCatalogAsync(t.Name, c => c.ListServicesAsync(publicOnly: true));
        Assert.Equal(3, services.Count);
        var engineer = Assert.Single(await InCatalogAsync(t.Name, c => c.ListEngineersAsync()));
        Assert.Equal([engineer.Id], services[0].EngineerIds);
        Assert.Equal("GBP", (await InCatalogAsync(t.Name, c => c.GetPolicyAsync())).Currency);
        Assert.NotEmpty(await InCatalogAsync(t.Name, c => c.GetWorkingHoursAsync(engineer.Id)));
    }
}
