using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Bookings;

/// <summary>The staff pages of the clients directory (/studio/clients): who may use them, forms, errors, files.</summary>
public sealed partial class ClientPagesTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly AuditActor Staff = new("staff-1", "Front Desk");

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string postUrl, Dictionary<string, string> fields)
    {
        var html = await GetStringAsync(client, pageUrl);
        fields["__RequestVerificationToken"] = AntiforgeryToken(html);
        return await client.PostAsync(postUrl, new FormUrlEncodedContent(fields));
    }

    private Task<IReadOnlyList<Client>> AllAsync(TestTenant tenant) =>
        Factory.InTenantAsync(tenant.Name, async sp => (IReadOnlyList<Client>)(await sp.GetRequiredService<IClientDirectory>().SearchAsync(null, null, 1, 200)).Items);

    [Fact]
    public async Task Every_staff_role_uses_the_clients_pages_clients_and_strangers_do_not()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        foreach (var role in StudioRoles.Staff)
        {
            var staff = await Factory.ClientAsAsync(t, role);
            var html = await GetStringAsync(staff, "studio/clients");
            Assert.Contains("No clients found", html);
            Assert.Contains("href=\"/studio/clients\"", await GetStringAsync(staff, "")); // the navigation link
        }
        var client = await Factory.ClientAsAsync(t, StudioRoles.Client);
        foreach (var url in new[] { "studio/clients", "studio/clients/new", "studio/clients/import", "studio/clients/export?format=csv" })
        {
            using var denied = await client.GetAsync(url);
            Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
            Assert.DoesNotContain("href=\"/studio/clients\"", await GetStringAsync(client, ""));
            using var anonymous = await t.Client.GetAsync(url);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Redirect && anonymous.Headers.Location!.ToString().Contains("/account/sign-in", StringComparison.Ordinal),
                $"{url}: {(int)anonymous.StatusCode} {anonymous.Headers.Location}");
        }
        // Without the feature the pages do not exist.
        var other = await Factory.AsAsync(await CreateTenantAsync());
        using var missing = await other.Client.GetAsync("studio/clients");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Staff_create_a_client_and_bad_input_is_explained_on_the_form_without_saving()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Bookings"]), StudioRoles.FrontDesk);
        using var bad = await PostFormAsync(t.Client, "studio/clients/new", "studio/clients/new", new()
        {
            ["Input.Kind"] = "person", ["Input.Name"] = "Mary Lou", ["Input.Email"] = "mary@", ["Input.DefaultDepositPercent"] = "10",
        });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("is not a valid e-mail address", html);
        using var several = await PostFormAsync(t.Client, "studio/clients/new", "studio/clients/new", new()
        {
            ["Input.Name"] = "", ["Input.Email"] = "x@", ["Input.Currency"] = "EURO",
        });
        var all = await several.Content.ReadAsStringAsync();
        Assert.Contains("The name is required", all); // every problem at once
        Assert.Contains("is not a valid e-mail address", all);
        Assert.Contains("is not a currency code", all);
        Assert.Contains("value=\"Mary Lou\"", html); // what was typed is kept
        using var badDeposit = await PostFormAsync(t.Client, "studio/clients/new", "studio/clients/new", new()
        {
            ["Input.Name"] = "Mary Lou", ["Input.DefaultDepositPercent"] = "ten",
        });
        Assert.Contains("The default deposit must be a whole number", await badDeposit.Content.ReadAsStringAsync());
        Assert.Empty(await AllAsync(t));

        using var good = await PostFormAsync(t.Client, "studio/clients/new", "studio/clients/new", new()
        {
            ["Input.Kind"] = "person", ["Input.Name"] = "Mary Lou Williams", ["Input.Email"] = "mary@example.org",
            ["Input.Country"] = "us", ["Input.DefaultDepositPercent"] = "20", ["Input.Vip"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var saved = Assert.Single(await AllAsync(t));
        Assert.Equal($"/studio/clients/{saved.Id}", good.Headers.Location!.ToString());
        Assert.Equal(("US", 20, true), (saved.Country, saved.DefaultDepositPercent, saved.Vip));
        var page = await GetStringAsync(t.Client, $"studio/clients/{saved.Id}");
        Assert.Contains("Client Mary Lou Williams created.", page);

        // Edit: a bad country is refused, a good edit saved.
        using var badEdit = await PostFormAsync(t.Client, $"studio/clients/{saved.Id}", $"studio/clients/{saved.Id}?handler=Save", new()
        {
            ["Input.Kind"] = "person", ["Input.Name"] = "Mary Lou Williams", ["Input.Country"] = "Atlantis",
        });
        Assert.Contains("is not a country code", await badEdit.Content.ReadAsStringAsync());
        using var edit = await PostFormAsync(t.Client, $"studio/clients/{saved.Id}", $"studio/clients/{saved.Id}?handler=Save", new()
        {
            ["Input.Kind"] = "person", ["Input.Name"] = "Mary Lou Williams", ["Input.City"] = "Kansas City", ["Input.Email"] = "mary@example.org",
        });
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        // The form shown before that save is now stale: posting it again is refused, nothing is overwritten.
        var staleHtml = await GetStringAsync(t.Client, $"studio/clients/{saved.Id}");
        var version = VersionRegex().Match(staleHtml).Groups[1].Value;
        Assert.NotEmpty(version);
        using var newer = await PostFormAsync(t.Client, $"studio/clients/{saved.Id}", $"studio/clients/{saved.Id}?handler=Save", new()
        {
            ["Input.Version"] = version, ["Input.Name"] = "Mary Lou Williams", ["Input.City"] = "Kansas City", ["Input.Email"] = "mary@example.org",
        });
        Assert.Equal(HttpStatusCode.Redirect, newer.StatusCode);
        using var stale = await PostFormAsync(t.Client, $"studio/clients/{saved.Id}", $"studio/clients/{saved.Id}?handler=Save", new()
        {
            ["Input.Version"] = version, ["Input.Name"] = "Overwritten", ["Input.City"] = "Kansas City", ["Input.Email"] = "mary@example.org",
        });
        Assert.Contains("Someone else changed this client meanwhile", await stale.Content.ReadAsStringAsync());
        var edited = Assert.Single(await AllAsync(t));
        Assert.Equal("Mary Lou Williams", edited.Name);
        Assert.Equal(("Kansas City", false, (int?)null), (edited.City, edited.Vip, edited.DefaultDepositPercent));
        using var missing = await t.Client.GetAsync($"studio/clients/{saved.Id + 1000}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_list_searches_and_pages_without_javascript()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Bookings"]), StudioRoles.Engineer);
        await Factory.InTenantAsync(t.Name, async sp =>
        {
            var d = sp.GetRequiredService<IClientDirectory>();
            for (var i = 0; i < 30; i++)
                await d.SaveAsync(new Client { Name = $"Drummer {i:00}" }, Staff);
            await d.SaveAsync(new Client { Kind = "company", Name = "Impulse! Records", Email = "hello@impulse.example" }, Staff);
            return 0;
        });
        var first = await GetStringAsync(t.Client, "studio/clients");
        Assert.Contains("31 clients", first);
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains("href=\"/studio/clients?p=2\"", first);
        var second = await GetStringAsync(t.Client, "studio/clients?p=2");
        Assert.Contains("Page 2 of 2", second);
        Assert.Contains("Impulse! Records", second);
        var found = await GetStringAsync(t.Client, "studio/clients?q=impulse.example");
        Assert.Contains("1 clients", found);
        Assert.Contains("href=\"/studio/clients?p=2&amp;q=drummer\"", await GetStringAsync(t.Client, "studio/clients?q=drummer"));
        var companies = await GetStringAsync(t.Client, "studio/clients?kind=company");
        Assert.Contains("Impulse! Records", companies);
        Assert.DoesNotContain("Drummer 00", companies);
        Assert.Contains("Page 2 of 2", await GetStringAsync(t.Client, "studio/clients?p=99")); // past the end: the last page
    }

    [Fact]
    public async Task A_company_gets_member_contacts_found_by_search_and_notes_from_its_page()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Bookings"]), StudioRoles.Admin);
        var (company, person) = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var d = sp.GetRequiredService<IClientDirectory>();
            return (await d.SaveAsync(new Client { Kind = "company", Name = "Blue Note" }, Staff),
                await d.SaveAsync(new Client { Name = "Alfred Lion", Email = "alfred@bluenote.example" }, Staff));
        });
        var url = $"studio/clients/{company.Id}";
        var search = await GetStringAsync(t.Client, url + "?find=alfred");
        Assert.Contains("Add Alfred Lion", search);
        using var add = await PostFormAsync(t.Client, url, url + "?handler=AddContact", new() { ["PersonId"] = person.Id.ToString(), ["Role"] = "Founder" });
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var page = await GetStringAsync(t.Client, url);
        Assert.Contains("Member contact saved.", page);
        Assert.Contains("value=\"Founder\"", page);
        Assert.Contains("Blue Note", await GetStringAsync(t.Client, $"studio/clients/{person.Id}")); // "Member of"

        using var tooLong = await PostFormAsync(t.Client, url, url + "?handler=AddContact", new() { ["PersonId"] = person.Id.ToString(), ["Role"] = new string('x', 101) });
        Assert.Contains("The role must be at most 100 characters", await tooLong.Content.ReadAsStringAsync());

        using var note = await PostFormAsync(t.Client, url, url + "?handler=Note", new() { ["NoteBody"] = "Wants the big room <b>on Fridays</b>" });
        Assert.Equal(HttpStatusCode.Redirect, note.StatusCode);
        page = await GetStringAsync(t.Client, url);
        Assert.Contains("Wants the big room &lt;b&gt;on Fridays&lt;/b&gt;", page); // encoded, never markup
        using var empty = await PostFormAsync(t.Client, url, url + "?handler=Note", new() { ["NoteBody"] = "  " });
        Assert.Contains("The note is empty", await empty.Content.ReadAsStringAsync());

        using var remove = await PostFormAsync(t.Client, url, url + "?handler=RemoveContact", new() { ["PersonId"] = person.Id.ToString() });
        Assert.Contains("No member contacts yet.", await GetStringAsync(t.Client, url));
    }

    [Fact]
    public async Task Staff_import_a_file_see_the_report_and_export_the_list()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Bookings"]), StudioRoles.FrontDesk);
        async Task<string> UploadAsync(string text, string fileName)
        {
            var html = await GetStringAsync(t.Client, "studio/clients/import");
            using var content = new MultipartFormDataContent
            {
                { new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken" },
            };
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            content.Add(file, "Upload", fileName);
            using var response = await t.Client.PostAsync("studio/clients/import", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var refused = await UploadAsync("name,email\r\nGood,good@example.org\r\nBad,bad@\r\n", "clients.csv");
        Assert.Contains("Nothing was imported", refused);
        Assert.Matches(new Regex("<td>3</td><td>E-mail address</td><td>&quot;bad@&quot; is not a valid e-mail address"), refused);
        Assert.Empty(await AllAsync(t));

        var done = await UploadAsync("name,email\r\nGood,good@example.org\r\nAlso Good,also@example.org\r\n", "clients.csv");
        Assert.Contains("Imported 2 clients: 2 created, 0 updated.", done);
        Assert.Equal(2, (await AllAsync(t)).Count);

        using var csv = await t.Client.GetAsync("studio/clients/export?format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"clients-{t.Name}-", csv.Content.Headers.ContentDisposition!.FileNameStar ?? csv.Content.Headers.ContentDisposition.FileName);
        Assert.Contains("person,Also Good,,also@example.org", await csv.Content.ReadAsStringAsync());
        using var vcf = await t.Client.GetAsync("studio/clients/export?format=vcard4");
        Assert.Equal("text/vcard", vcf.Content.Headers.ContentType!.MediaType);
        Assert.Contains("FN:Also Good\r\n", await vcf.Content.ReadAsStringAsync());
        Assert.Equal(2, await ClientDirectoryTests.CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.clients.exported'"));
    }

    [Fact]
    public async Task A_clients_page_lists_its_sessions()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Bookings"]), StudioRoles.FrontDesk);
        var (client, booking) = await Factory.InTenantAsync(t.Name, async sp =>
        {
            var catalog = sp.GetRequiredService<IBookingCatalog>();
            var room = await catalog.SaveRoomAsync(new Room { Name = "Studio A", Kind = RoomKinds.Recording, Description = "", Capacity = 4, HourlyRate = 40m }, Staff);
            await catalog.SetOpeningHoursAsync(room.Id, Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours(d, 0, 24 * 60)).ToList(), Staff);
            var service = await catalog.SaveServiceAsync(new StudioService
            {
                Name = "Recording hour", Description = "", DurationKind = DurationKinds.Hourly, DurationMinutes = 60, MinUnits = 1, MaxUnits = 8,
                PriceKind = PriceKinds.RoomRate, Price = 0m, DepositPercent = 30, FreeCancelHours = 48, CancelFeePercent = 50, RequiresRoom = true, Public = true,
            }, Staff);
            var client = await sp.GetRequiredService<IClientDirectory>().SaveAsync(new Client { Name = "Ada Lovelace" }, Staff);
            var start = DateTime.UtcNow.Date.AddDays(3).AddHours(10);
            var booking = await sp.GetRequiredService<IBookingEngine>().BookAsync(new BookingRequest
            {
                ServiceId = service.Id, RoomId = room.Id, ClientId = client.Id, StartUtc = start, Units = 2,
            }, Staff);
            return (client, booking);
        });
        var page = await GetStringAsync(t.Client, $"studio/clients/{client.Id}");
        Assert.Contains($"href=\"/studio/bookings/{booking.Id}\">{booking.Reference}</a>", page);
        Assert.Contains("80.00 " + booking.Currency, page);
        Assert.Contains("<td>Confirmed</td>", page);
        Assert.Contains("None.", page); // nothing in the past
    }

    [Theory]
    [InlineData(2 * 1024 * 1024 + 10)]
    [InlineData(3 * 1024 * 1024)]
    public async Task An_oversized_upload_is_refused_with_a_message_not_an_error(int size)
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Bookings"]), StudioRoles.FrontDesk);
        var html = await GetStringAsync(t.Client, "studio/clients/import");
        using var content = new MultipartFormDataContent { { new StringContent(AntiforgeryToken(html)), "__RequestVerificationToken" } };
        var bytes = Encoding.UTF8.GetBytes("name\r\n" + new string('a', size));
        content.Add(new ByteArrayContent(bytes), "Upload", "big.csv");
        using var response = await t.Client.PostAsync("studio/clients/import", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Truncate(body)}");
        Assert.Contains("larger than 2 MB", body);
        Assert.Empty(await AllAsync(t));
    }

    [GeneratedRegex("name=\"Input.Version\" value=\"([0-9]+)\"")]
    private static partial Regex VersionRegex();
}
