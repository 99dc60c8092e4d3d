using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Data;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Bookings;

/// <summary>The clients directory (CRM) of Bookings: validation, search, contacts, notes, portal links, audit.</summary>
public sealed class ClientDirectoryTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly AuditActor Staff = new("staff-1", "Front Desk");

    private Task<T> InAsync<T>(TestTenant tenant, Func<IClientDirectory, Task<T>> work) =>
        Factory.InTenantAsync(tenant.Name, sp => work(sp.GetRequiredService<IClientDirectory>()));

    internal static Task<long> CountAsync(StudioFactory factory, string tenant, string sql) =>
        factory.InTenantAsync(tenant, async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>(sql);
        });

    [Fact]
    public async Task A_client_is_created_normalised_read_back_updated_and_audited()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var created = await InAsync(t, d => d.SaveAsync(new Client
        {
            Kind = "person", Name = "  Ada Lovelace ", ArtistName = "", Email = "ada@example.org", Phone = "+44 20 7946 0000",
            Country = "gb", Currency = "gbp", Culture = "en-gb", DefaultDepositPercent = 50, Vip = true, UserId = "someone-else",
        }, Staff));
        Assert.True(created.Id > 0);
        var read = await InAsync(t, d => d.GetAsync(created.Id));
        Assert.NotNull(read);
        Assert.Equal("Ada Lovelace", read.Name);
        Assert.Null(read.ArtistName);
        Assert.Equal("GB", read.Country);
        Assert.Equal("GBP", read.Currency);
        Assert.Equal("en-GB", read.Culture);
        Assert.Equal(50, read.DefaultDepositPercent);
        Assert.True(read.Vip);
        Assert.False(read.Archived);
        Assert.Null(read.UserId); // never linked through a save
        Assert.Equal(DateTimeKind.Utc, read.CreatedUtc.Kind);

        var updated = await InAsync(t, d => d.SaveAsync(read with { City = "London", Archived = true }, Staff));
        Assert.Equal("London", (await InAsync(t, d => d.GetAsync(created.Id)))!.City);
        Assert.True(updated.Archived);
        Assert.Equal(1, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.client.created'"));
        Assert.Equal(1, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.client.updated' AND actor_name = 'Front Desk'"));
    }

    [Fact]
    public async Task A_save_over_a_stale_read_is_refused_and_keeps_the_other_change()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var created = await InAsync(t, d => d.SaveAsync(new Client { Name = "Shared" }, Staff));
        var first = (await InAsync(t, d => d.GetAsync(created.Id)))!;
        Assert.Equal(created.UpdatedUtc, first.UpdatedUtc); // what was written is what is read, to the tick kept
        var second = first;
        await InAsync(t, d => d.SaveAsync(first with { City = "Berlin" }, Staff));
        var stale = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, d => d.SaveAsync(second with { City = "Paris" }, Staff)));
        Assert.Contains("Someone else changed this client meanwhile", stale.Message);
        Assert.Equal("Berlin", (await InAsync(t, d => d.GetAsync(created.Id)))!.City);
        // An update built from scratch (no UpdatedUtc) applies.
        await InAsync(t, d => d.SaveAsync(new Client { Id = created.Id, Name = "Shared", City = "Rome" }, Staff));
        Assert.Equal("Rome", (await InAsync(t, d => d.GetAsync(created.Id)))!.City);
    }

    [Theory]
    [InlineData("Name", " ", "The name is required")]
    [InlineData("Email", "not-an-email", "is not a valid e-mail address")]
    [InlineData("Phone", "call me", "is not a valid phone number")]
    [InlineData("Country", "XX", "is not a country code")]
    [InlineData("Currency", "EURO", "is not a currency code")]
    [InlineData("Culture", "zz-QQ", "is not a known language")]
    [InlineData("Kind", "robot", "The kind must be person or company")]
    [InlineData("DefaultDepositPercent", "101", "between 0 and 100")]
    public async Task Bad_input_is_refused_with_a_message_naming_the_field_and_nothing_is_written(string field, string value, string message)
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var client = new Client { Name = "Valid Name" };
        client = field switch
        {
            "Name" => client with { Name = value },
            "Email" => client with { Email = value },
            "Phone" => client with { Phone = value },
            "Country" => client with { Country = value },
            "Currency" => client with { Currency = value },
            "Culture" => client with { Culture = value },
            "Kind" => client with { Kind = value },
            _ => client with { DefaultDepositPercent = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
        };
        var error = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, d => d.SaveAsync(client, Staff)));
        Assert.Contains(message, error.Message);
        Assert.Equal(field, error.Field);
        Assert.Equal(0, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM bk_clients"));
    }

    [Fact]
    public async Task Search_finds_by_name_artist_email_or_phone_filters_by_kind_and_pages()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        await InAsync(t, async d =>
        {
            for (var i = 0; i < 25; i++)
                await d.SaveAsync(new Client { Name = $"Person {i:00}", Email = $"p{i}@example.org" }, Staff);
            await d.SaveAsync(new Client { Name = "Nina Simone", ArtistName = "The High Priestess", Phone = "+1 555 0100" }, Staff);
            await d.SaveAsync(new Client { Kind = "company", Name = "Blue Note Records", Email = "Office@BlueNote.example" }, Staff);
            await d.SaveAsync(new Client { Name = "100%_literal" }, Staff);
            return 0;
        });
        var first = await InAsync(t, d => d.SearchAsync(null, null, 1, 10));
        Assert.Equal(28, first.Total);
        Assert.Equal(10, first.Items.Count);
        var third = await InAsync(t, d => d.SearchAsync(null, null, 3, 10));
        Assert.Equal(8, third.Items.Count);
        Assert.Single((await InAsync(t, d => d.SearchAsync("priestess", null, 1, 10))).Items);
        Assert.Single((await InAsync(t, d => d.SearchAsync("555 0100", null, 1, 10))).Items);
        Assert.Equal("Blue Note Records", Assert.Single((await InAsync(t, d => d.SearchAsync("bluenote", null, 1, 10))).Items).Name);
        Assert.Single((await InAsync(t, d => d.SearchAsync(null, "company", 1, 10))).Items);
        Assert.Equal(27, (await InAsync(t, d => d.SearchAsync(null, "person", 1, 10))).Total);
        Assert.Single((await InAsync(t, d => d.SearchAsync("%_", null, 1, 10))).Items); // wildcards are literal
        Assert.Equal(25, (await InAsync(t, d => d.SearchAsync("person ", null, 1, 100))).Total);
    }

    [Fact]
    public async Task A_company_has_member_contacts_with_roles_and_people_cannot_hold_members()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var (company, alice, bob) = await InAsync(t, async d => (
            await d.SaveAsync(new Client { Kind = "company", Name = "Label Ltd" }, Staff),
            await d.SaveAsync(new Client { Name = "Alice" }, Staff),
            await d.SaveAsync(new Client { Name = "Bob" }, Staff)));
        await InAsync(t, async d =>
        {
            await d.SetContactAsync(new ClientContact(company.Id, bob.Id, "A&R"), Staff);
            await d.SetContactAsync(new ClientContact(company.Id, alice.Id, "Manager"), Staff);
            await d.SetContactAsync(new ClientContact(company.Id, alice.Id, "CEO"), Staff); // updates the role
            return 0;
        });
        var contacts = await InAsync(t, d => d.ListContactsAsync(company.Id));
        Assert.Equal([(alice.Id, "CEO"), (bob.Id, "A&R")], contacts.Select(c => (c.PersonId, c.Role)).ToList());

        var wrong = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, async d => { await d.SetContactAsync(new ClientContact(alice.Id, bob.Id, ""), Staff); return 0; }));
        Assert.Contains("belong to a company", wrong.Message);
        var notPerson = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, async d => { await d.SetContactAsync(new ClientContact(company.Id, company.Id, ""), Staff); return 0; }));
        Assert.Contains("must be a person", notPerson.Message);
        var kindChange = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, d => d.SaveAsync(alice with { Kind = "company" }, Staff)));
        Assert.Contains("cannot change between person and company", kindChange.Message);

        await InAsync(t, async d => { await d.RemoveContactAsync(company.Id, bob.Id, Staff); return 0; });
        Assert.Single(await InAsync(t, d => d.ListContactsAsync(company.Id)));
        Assert.Equal(1, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.client.contact.removed'"));
    }

    [Fact]
    public async Task Notes_are_dated_newest_first_signed_by_their_author_and_empty_ones_are_refused()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var client = await InAsync(t, d => d.SaveAsync(new Client { Name = "Noted" }, Staff));
        await InAsync(t, d => d.AddNoteAsync(client.Id, "First call", Staff));
        await InAsync(t, d => d.AddNoteAsync(client.Id, "  Booked a demo  ", Staff));
        var notes = await InAsync(t, d => d.ListNotesAsync(client.Id));
        Assert.Equal(["Booked a demo", "First call"], notes.Select(n => n.Body).ToList());
        Assert.All(notes, n => Assert.Equal("Front Desk", n.Author));
        Assert.All(notes, n => Assert.Equal(DateTimeKind.Utc, n.CreatedUtc.Kind));
        var empty = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, d => d.AddNoteAsync(client.Id, "   ", Staff)));
        Assert.Contains("The note is empty", empty.Message);
        var missing = await Assert.ThrowsAsync<BookingValidationException>(() => InAsync(t, d => d.AddNoteAsync(client.Id + 999, "x", Staff)));
        Assert.Contains("no longer exists", missing.Message);
        Assert.Equal(2, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM bk_client_notes"));
    }

    [Fact]
    public async Task A_portal_account_gets_its_linked_record_an_unlinked_record_with_its_email_or_a_new_one()
    {
        var t = await CreateTenantAsync(["Studio.Bookings"]);
        var existing = await InAsync(t, d => d.SaveAsync(new Client { Name = "Known Client", Email = "known@example.org" }, Staff));

        var linked = await InAsync(t, d => d.EnsureForUserAsync("user-1", "KNOWN@example.org", "Whatever", "fr-FR", AuditActor.System));
        Assert.Equal(existing.Id, linked.Id);
        Assert.Equal("user-1", linked.UserId);
        Assert.Equal(existing.Id, (await InAsync(t, d => d.FindByUserAsync("user-1")))!.Id);
        // Linked once, found again, never linked twice.
        Assert.Equal(existing.Id, (await InAsync(t, d => d.EnsureForUserAsync("user-1", "other@example.org", "x", null, AuditActor.System))).Id);
        // The account's language, once it has one, becomes the record's (booking mail is written in it).
        Assert.Equal("de-DE", (await InAsync(t, d => d.EnsureForUserAsync("user-1", "known@example.org", "x", "de-DE", AuditActor.System))).Culture);
        Assert.Equal("de-DE", (await InAsync(t, d => d.GetAsync(existing.Id)))!.Culture);
        Assert.Equal("de-DE", (await InAsync(t, d => d.EnsureForUserAsync("user-1", "known@example.org", "x", null, AuditActor.System))).Culture);
        Assert.Equal(1, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.client.language'"));
        var second = await InAsync(t, d => d.EnsureForUserAsync("user-2", "known@example.org", "Second Account", "fr-FR", AuditActor.System));
        Assert.NotEqual(existing.Id, second.Id);
        Assert.Equal("Second Account", second.Name);
        Assert.Equal("fr-FR", second.Culture);
        Assert.Equal("user-2", second.UserId);

        // Concurrent first visits of one account make one record.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            InAsync(t, d => d.EnsureForUserAsync("user-3", "new@example.org", "New Person", null, AuditActor.System))));
        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Equal(1, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM bk_clients WHERE user_id = 'user-3'"));
        Assert.Equal(1, await CountAsync(Factory, t.Name, "SELECT COUNT(*) FROM audit_entries WHERE action = 'bookings.client.linked'"));
    }
}
