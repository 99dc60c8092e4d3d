using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Bookings;

/// <summary>CSV and vCard (3.0/4.0) import and export of clients: format details, round trips, all-or-nothing imports.</summary>
public sealed class ClientFilesTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly AuditActor Staff = new("staff-1", "Front Desk");

    private Task<T> InAsync<T>(TestTenant tenant, Func<IServiceProvider, Task<T>> work) => Factory.InTenantAsync(tenant.Name, work);

    private Task<ClientImportReport> ImportAsync(TestTenant tenant, string text, string fileName) =>
        InAsync(tenant, sp => sp.GetRequiredService<ClientImport>().ImportAsync(Encoding.UTF8.GetBytes(text), fileName, Staff));

    private Task<IReadOnlyList<Client>> AllAsync(TestTenant tenant) =>
        InAsync(tenant, async sp => (IReadOnlyList<Client>)(await sp.GetRequiredService<IClientDirectory>().SearchAsync(null, null, 1, 200)).Items);

    [Fact]
    public void VCard_lines_are_folded_at_75_octets_without_splitting_characters_and_unfold_back()
    {
        var name = string.Concat(Enumerable.Repeat("Zoë Ålander, ; \\ 🎸 ", 12));
        var output = new StringBuilder();
        VCard.WriteLine(output, "FN:" + VCard.Escape(name));
        var text = output.ToString();
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3);
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"{Encoding.UTF8.GetByteCount(l)} octets: {l}"));
        Assert.All(lines.Skip(1), l => Assert.StartsWith(" ", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.False(char.IsHighSurrogate(l[^1]), "a surrogate pair was split"));
        var card = Assert.Single(VCard.Read("BEGIN:VCARD\r\nVERSION:4.0\r\n" + text + "END:VCARD\r\n"));
        Assert.Equal(name, card.First("FN")!.Text);
    }

    [Fact]
    public void VCard_escaping_round_trips_and_structured_values_split_on_unescaped_semicolons()
    {
        Assert.Equal("a\\,b\\;c\\\\d\\ne", VCard.Escape("a,b;c\\d\r\ne"));
        Assert.Equal("a,b;c\\d\ne", VCard.Unescape("a\\,b\\;c\\\\d\\ne"));
        var card = Assert.Single(VCard.Read("BEGIN:VCARD\nVERSION:3.0\nitem1.ADR;TYPE=\"work,pref\":;;1 Rue\\; Bât. A;Paris;;75001;France\nEND:VCARD"));
        var adr = card.First("ADR")!;
        Assert.True(adr.HasType("work"));
        Assert.Equal(1, adr.Preference);
        Assert.Equal(["", "", "1 Rue; Bât. A", "Paris", "", "75001", "France"], adr.Components);
    }

    [Theory]
    [InlineData("VERSION:4.0\r\nFN:x\r\n", "BEGIN:VCARD missing")]
    [InlineData("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n", "END:VCARD missing")]
    [InlineData("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:x\r\nEND:VCARD\r\n", "version 2.1 is not supported")]
    [InlineData("BEGIN:VCARD\r\nFN:x\r\nEND:VCARD\r\n", "has no VERSION")]
    [InlineData("BEGIN:VCARD\r\nVERSION:3.0\r\nthis is not a property\r\nEND:VCARD\r\n", "not a vCard property")]
    public void Malformed_vcards_are_refused_with_the_line(string text, string message)
    {
        var error = Assert.Throws<VCardFormatException>(() => VCard.Read(text));
        Assert.Contains(message, string.Format(System.Globalization.CultureInfo.InvariantCulture, error.Message, error.Arguments));
    }

    [Fact]
    public async Task A_vcard_3_from_a_phone_imports_people_and_companies()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        const string file =
            "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17//EN\r\nN:Fitzgerald;Ella;Jane;;\r\nFN:Ella Fitzgerald\r\n" +
            "NICKNAME:First Lady of Song\r\nitem1.EMAIL;type=INTERNET;type=pref:ella@example.org\r\nEMAIL;type=INTERNET:other@example.org\r\n" +
            "TEL;type=CELL;type=VOICE;type=pref:+1 (555) 010-0200\r\n" +
            "ADR;type=HOME:;;12 Swing\\nStreet;Newport News;VA;23601;United States\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n" +
            " EAYABgAAD\r\nEND:VCARD\r\n" +
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:Verve Records\r\nORG:Verve Records;\r\nEMAIL:office@verve.example\r\nEND:VCARD\r\n";
        var report = await ImportAsync(t, file, "contacts.vcf");
        Assert.True(report.Succeeded, string.Join("; ", report.Errors.Select(e => $"{e.Row} {e.Field} {e.Message}")));
        Assert.Equal(("vcard", 2, 2, 0), (report.Format, report.Rows, report.Created, report.Updated));
        var all = await AllAsync(t);
        var ella = all.Single(c => c.Name == "Ella Fitzgerald");
        Assert.Equal(("person", "First Lady of Song", "ella@example.org", "+1 (555) 010-0200"), (ella.Kind, ella.ArtistName, ella.Email, ella.Phone));
        Assert.Equal(("12 Swing, Street", "Newport News", "23601", "US"), (ella.Street, ella.City, ella.PostalCode, ella.Country));
        Assert.Equal("company", all.Single(c => c.Name == "Verve Records").Kind);
    }

    [Fact]
    public async Task Export_then_import_round_trips_in_csv_vcard_3_and_vcard_4()
    {
        var source = await CreateTenantAsync(["Studio.Bookings"]);
        await InAsync(source, async sp =>
        {
            var d = sp.GetRequiredService<IClientDirectory>();
            await d.SaveAsync(new Client
            {
                Name = "=HYPERLINK(\"http://evil\")", ArtistName = "-minus, the; artist\\", Email = "eq@example.org", Phone = "+33 1 23 45 67 89",
                Street = "1, Rue de Rivoli\nBât. A", PostalCode = "75001", City = "Paris", Country = "FR", Culture = "fr-FR", Currency = "EUR",
                DefaultDepositPercent = 40, Vip = true,
            }, Staff);
            await d.SaveAsync(new Client { Kind = "company", Name = "Ünïcode Records 🎵 Ltd", Email = "u@example.org" }, Staff);
            return 0;
        });
        var originals = await AllAsync(source);
        foreach (var format in new[] { "csv", "vcard3", "vcard4" })
        {
            var (bytes, contentType, extension) = await InAsync(source, sp => sp.GetRequiredService<ClientImport>().ExportAsync(format, Staff));
            if (format == "csv")
            {
                Assert.Equal("text/csv; charset=utf-8", contentType);
                Assert.Equal([0xEF, 0xBB, 0xBF], bytes.Take(3).ToArray());
                Assert.Contains("'=HYPERLINK", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal); // no live formula
            }
            else
            {
                var text = Encoding.UTF8.GetString(bytes);
                Assert.StartsWith("BEGIN:VCARD\r\nVERSION:" + (format == "vcard3" ? "3.0" : "4.0"), text, StringComparison.Ordinal);
                Assert.All(text.Split("\r\n"), l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75));
            }
            var target = await CreateTenantAsync(["Studio.Bookings"]);
            var report = await InAsync(target, sp => sp.GetRequiredService<ClientImport>().ImportAsync(bytes, "clients." + extension, Staff));
            Assert.True(report.Succeeded, format + ": " + string.Join("; ", report.Errors.Select(e => $"{e.Row} {e.Field} {e.Message}")));
            var copies = await AllAsync(target);
            Assert.Equal(originals.Count, copies.Count);
            foreach (var original in originals)
            {
                var copy = copies.Single(c => c.Name == original.Name);
                var street = format == "csv" ? original.Street : original.Street?.Replace("\n", ", ", StringComparison.Ordinal);
                Assert.Equal(original with { Id = 0, Street = street, CreatedUtc = default, UpdatedUtc = default },
                    copy with { Id = 0, CreatedUtc = default, UpdatedUtc = default });
            }
            // Importing the same file again updates (matched by e-mail) and creates nothing.
            var again = await InAsync(target, sp => sp.GetRequiredService<ClientImport>().ImportAsync(bytes, "clients." + extension, Staff));
            Assert.Equal((0, 2), (again.Created, again.Updated));
        }
    }

    [Fact]
    public async Task A_csv_with_a_bad_row_writes_nothing_and_reports_every_problem_by_row()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        const string file =
            "Name;E-mail;Phone;Country;Deposit;VIP\r\n" +
            "Good One;good@example.org;+44 1;GB;30;yes\r\n" +
            ";nobody@example.org;;;;\r\n" +
            "Bad Mail;not-an-email;;;;\r\n" +
            "Dup;GOOD@example.org;;;;\r\n" +
            "Odd;;;ZZ;abc;maybe\r\n";
        var report = await ImportAsync(t, file, "clients.csv");
        Assert.False(report.Succeeded);
        var problems = report.Errors.Select(e => (e.Row, e.Field)).ToList();
        Assert.Contains((3, "Name"), problems);
        Assert.Contains((4, "Email"), problems);
        Assert.Contains((5, "Email"), problems);
        Assert.Contains((6, "Country"), problems);
        Assert.Contains((6, "DefaultDepositPercent"), problems);
        Assert.Contains((6, "Vip"), problems);
        Assert.DoesNotContain(report.Errors, e => e.Row == 2);
        Assert.Contains("also on row 2", report.Errors.Single(e => e.Row == 5).Message);
        Assert.Empty(await AllAsync(t));
        Assert.Equal(0, await ClientDirectoryTests.CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.clients.imported'"));
    }

    [Theory]
    [InlineData("", "The file is empty")]
    [InlineData("nom,courriel\r\nA,b@example.org\r\n", "Unknown column \"nom\"")]
    [InlineData("email,phone\r\nb@example.org,1\r\n", "needs a \"name\" column")]
    [InlineData("name,email,Name\r\nA,b@example.org,C\r\n", "appears twice")]
    [InlineData("name\r\n\r\n", "holds no clients")]
    [InlineData("name,email\r\n\"Unclosed,b@example.org\r\n", "not valid CSV")]
    [InlineData("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:x\r\n", "END:VCARD missing")]
    public async Task A_bad_file_is_refused_as_a_whole_with_a_clear_message(string text, string message)
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var report = await ImportAsync(t, text, text.StartsWith("BEGIN", StringComparison.Ordinal) ? "x.vcf" : "x.csv");
        var error = Assert.Single(report.Errors);
        Assert.Equal(0, error.Row);
        Assert.Contains(message, error.Message);
        Assert.Empty(await AllAsync(t));
    }

    [Fact]
    public async Task Files_that_are_not_utf8_or_too_large_are_refused()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var latin1 = Encoding.Latin1.GetBytes("name\r\nZoë\r\n");
        var report = await InAsync(t, sp => sp.GetRequiredService<ClientImport>().ImportAsync(latin1, "x.csv", Staff));
        Assert.Contains("not UTF-8", Assert.Single(report.Errors).Message);
        var huge = new byte[ClientImport.MaxBytes + 1];
        report = await InAsync(t, sp => sp.GetRequiredService<ClientImport>().ImportAsync(huge, "x.csv", Staff));
        Assert.Contains("larger than 2 MB", Assert.Single(report.Errors).Message);
    }

    [Fact]
    public async Task An_import_updates_only_the_columns_it_has_and_is_audited_once()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var existing = await InAsync(t, sp => sp.GetRequiredService<IClientDirectory>().SaveAsync(
            new Client { Name = "Keep Me", Email = "keep@example.org", City = "Lyon", Vip = true }, Staff));
        var report = await ImportAsync(t, "name,email,phone\r\nKept Name,KEEP@example.org,+33 4 00\r\nNew Person,new@example.org,\r\n", "x.csv");
        Assert.Equal((1, 1), (report.Created, report.Updated));
        var updated = await InAsync(t, sp => sp.GetRequiredService<IClientDirectory>().GetAsync(existing.Id));
        Assert.Equal(("Kept Name", "+33 4 00", "Lyon", true, "KEEP@example.org"), (updated!.Name, updated.Phone, updated.City, updated.Vip, updated.Email));
        Assert.Equal(1, await ClientDirectoryTests.CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.clients.imported'"));
    }
}
