using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Data;
using Studio.Identity;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Platform;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The Bookings catalogue (IBookingCatalog): storage on both engines, validation, audit, the rooms plan limit.</summary>
public sealed class BookingsCatalogTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly AuditActor Actor = new("catalog-test", "Catalog test");
    private static readonly string[] Bookings = ["Studio.Bookings"];

    private Task<T> InCatalogAsync<T>(string tenant, Func<IBookingCatalog, Task<T>> work) =>
        Factory.InTenantAsync(tenant, sp => work(sp.GetRequiredService<IBookingCatalog>()));

    private Task<long> AuditCountAsync(string tenant, string action) =>
        Factory.InTenantAsync(tenant, async sp =>
        {
            var database = sp.GetRequiredService<ITenantDatabase>();
            await using var connection = await database.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_entries WHERE action = @action", new { action });
        });

    internal static Room SampleRoom(string name = "Studio A") => new()
    {
        Name = name, Kind = RoomKinds.Recording, Description = "Live room with a Neve desk", Capacity = 6,
        HourlyRate = 55.50m, HalfDayRate = 200m, FullDayRate = 360m, BufferAfterMinutes = 15, CalendarColor = "#AA3300",
    };

    [Fact]
    public async Task Policy_defaults_then_saves_and_validates()
    {
        var t = await CreateTenantAsync(Bookings);
        var policy = await InCatalogAsync(t.Name, c => c.GetPolicyAsync());
        Assert.Equal(new BookingPolicy(), policy);

        await InCatalogAsync(t.Name, async c => { await c.SavePolicyAsync(policy with { Currency = "chf", HoldMinutes = 20, SlotStepMinutes = 15 }, Actor); return 0; });
        var saved = await InCatalogAsync(t.Name, c => c.GetPolicyAsync());
        Assert.Equal("CHF", saved.Currency);
        Assert.Equal(20, saved.HoldMinutes);
        Assert.Equal(15, saved.SlotStepMinutes);

        var bad = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, async c => { await c.SavePolicyAsync(saved with { SlotStepMinutes = 7 }, Actor); return 0; }));
        Assert.Equal(nameof(BookingPolicy.SlotStepMinutes), bad.Field);
        Assert.Equal(15, (await InCatalogAsync(t.Name, c => c.GetPolicyAsync())).SlotStepMinutes);
        Assert.Equal(1, await AuditCountAsync(t.Name, "bookings.policy.saved"));
    }

    [Fact]
    public async Task Rooms_round_trip_with_exact_money_hours_and_closures()
    {
        var t = await CreateTenantAsync(Bookings);
        var room = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom(), Actor));
        Assert.True(room.Id > 0);
        Assert.Equal(55.50m, room.HourlyRate);
        Assert.Equal(200m, room.HalfDayRate);
        Assert.Null(room.BufferBeforeMinutes);
        Assert.Equal(15, room.BufferAfterMinutes);
        Assert.Equal("#aa3300", room.CalendarColor);
        Assert.Equal(DateTimeKind.Utc, room.CreatedUtc.Kind);
        Assert.InRange(room.CreatedUtc, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(1));

        var updated = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(room with { HourlyRate = 60.25m, FullDayRate = null }, Actor));
        Assert.Equal(60.25m, updated.HourlyRate);
        Assert.Null(updated.FullDayRate);

        OpeningHours[] hours = [new(DayOfWeek.Monday, 9 * 60, 13 * 60), new(DayOfWeek.Monday, 14 * 60, 22 * 60), new(DayOfWeek.Saturday, 10 * 60, 1440)];
        await InCatalogAsync(t.Name, async c => { await c.SetOpeningHoursAsync(room.Id, hours, Actor); return 0; });
        Assert.Equal(hours, await InCatalogAsync(t.Name, c => c.GetOpeningHoursAsync(room.Id)));
        var overlap = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, async c =>
        {
            await c.SetOpeningHoursAsync(room.Id, [new(DayOfWeek.Monday, 9 * 60, 13 * 60), new(DayOfWeek.Monday, 12 * 60, 14 * 60)], Actor);
            return 0;
        }));
        Assert.Contains("overlap", overlap.Message);
        Assert.Equal(hours, await InCatalogAsync(t.Name, c => c.GetOpeningHoursAsync(room.Id)));

        var other = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom("Booth"), Actor));
        var christmas = await InCatalogAsync(t.Name, c => c.SaveClosureAsync(new Closure(0, null, new(2026, 12, 24), new(2026, 12, 26), null, null, "Christmas"), Actor));
        var short1 = await InCatalogAsync(t.Name, c => c.SaveClosureAsync(new Closure(0, room.Id, new(2026, 12, 31), new(2026, 12, 31), 10 * 60, 16 * 60, "New Year's Eve"), Actor));
        var forA = await InCatalogAsync(t.Name, c => c.ListClosuresAsync(room.Id, new(2026, 12, 1), new(2026, 12, 31)));
        Assert.Equal([christmas, short1], forA);
        Assert.Equal([christmas], await InCatalogAsync(t.Name, c => c.ListClosuresAsync(other.Id, new(2026, 12, 1), new(2026, 12, 31))));
        Assert.Empty(await InCatalogAsync(t.Name, c => c.ListClosuresAsync(room.Id, new(2026, 12, 27), new(2026, 12, 30))));
        await InCatalogAsync(t.Name, async c => { await c.DeleteClosureAsync(christmas.Id, Actor); return 0; });
        Assert.Equal([short1], await InCatalogAsync(t.Name, c => c.ListClosuresAsync(null, new(2026, 1, 1), new(2027, 1, 1))));

        await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveClosureAsync(new Closure(0, null, new(2026, 12, 24), new(2026, 12, 20), null, null, "Backwards"), Actor)));
        var duplicate = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom("studio a"), Actor)));
        Assert.Equal(nameof(Room.Name), duplicate.Field);
        Assert.Equal(2, (await InCatalogAsync(t.Name, c => c.ListRoomsAsync())).Count);
        Assert.Equal(2, await AuditCountAsync(t.Name, "bookings.room.created"));
        Assert.Equal(1, await AuditCountAsync(t.Name, "bookings.room.updated"));
    }

    [Theory]
    [InlineData("", nameof(Room.Name))]
    [InlineData("bad-kind", nameof(Room.Kind))]
    [InlineData("rate", nameof(Room.HourlyRate))]
    [InlineData("cents", nameof(Room.HalfDayRate))]
    [InlineData("colour", nameof(Room.CalendarColor))]
    [InlineData("buffer", nameof(Room.BufferBeforeMinutes))]
    public async Task A_bad_room_is_refused_with_the_field_and_nothing_is_written(string what, string field)
    {
        var t = await CreateTenantAsync(Bookings);
        var room = what switch
        {
            "" => SampleRoom(" "),
            "bad-kind" => SampleRoom() with { Kind = "kitchen" },
            "rate" => SampleRoom() with { HourlyRate = -1 },
            "cents" => SampleRoom() with { HalfDayRate = 10.005m },
            "colour" => SampleRoom() with { CalendarColor = "red" },
            _ => SampleRoom() with { BufferBeforeMinutes = 481 },
        };
        var error = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveRoomAsync(room, Actor)));
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(await InCatalogAsync(t.Name, c => c.ListRoomsAsync(includeArchived: true)));
    }

    [Fact]
    public async Task The_rooms_plan_limit_applies_where_a_room_is_created_or_restored_and_writes_nothing_beyond()
    {
        var plan = await Factory.Get<IPlanCatalog>().SaveAsync(new PlatformActor("op-test", "Operator"), new PlanDefinition
        {
            Id = NewName("p"), Name = "Two rooms", Include = ["*"], Limits = new Dictionary<string, long> { [PlanLimitKeys.Rooms] = 2 },
        }, expectedVersion: null);
        var t = await CreateTenantAsync(Bookings, r => r with { Plan = plan.Id });
        var a = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom("A"), Actor));
        await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom("B"), Actor));
        var refused = await Assert.ThrowsAsync<PlanLimitExceededException>(() => InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom("C"), Actor)));
        Assert.Equal(PlanLimitKeys.Rooms, refused.Key);
        Assert.Equal(2, (await InCatalogAsync(t.Name, c => c.ListRoomsAsync(includeArchived: true))).Count);

        // Archiving frees a place; bringing it back counts again.
        await InCatalogAsync(t.Name, c => c.SaveRoomAsync(a with { Archived = true }, Actor));
        var c3 = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom("C"), Actor));
        await Assert.ThrowsAsync<PlanLimitExceededException>(() => InCatalogAsync(t.Name, c => c.SaveRoomAsync(a with { Archived = false }, Actor)));
        Assert.True((await InCatalogAsync(t.Name, c => c.GetRoomAsync(a.Id)))!.Archived);
        // Editing a room in use is never refused by the limit.
        await InCatalogAsync(t.Name, c => c.SaveRoomAsync(c3 with { Capacity = 3 }, Actor));
        Assert.Equal(2, (await InCatalogAsync(t.Name, c => c.ListRoomsAsync())).Count);
    }

    [Fact]
    public async Task Concurrent_room_creations_never_exceed_the_plan_limit()
    {
        var plan = await Factory.Get<IPlanCatalog>().SaveAsync(new PlatformActor("op-test", "Operator"), new PlanDefinition
        {
            Id = NewName("p"), Name = "Three rooms", Include = ["*"], Limits = new Dictionary<string, long> { [PlanLimitKeys.Rooms] = 3 },
        }, expectedVersion: null);
        var t = await CreateTenantAsync(Bookings, r => r with { Plan = plan.Id });
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom($"Room {i}"), Actor));
                return "created";
            }
            catch (PlanLimitExceededException)
            {
                return "refused";
            }
        }));
        Assert.Equal(3, attempts.Count(a => a == "created"));
        Assert.Equal(5, attempts.Count(a => a == "refused"));
        Assert.Equal(3, (await InCatalogAsync(t.Name, c => c.ListRoomsAsync(includeArchived: true))).Count);
    }

    [Fact]
    public async Task Engineers_must_be_staff_with_the_engineer_role_and_keep_hours_breaks_and_time_off()
    {
        var t = await CreateTenantAsync(Bookings);
        var engineerUser = await Factory.CreateUserAsync(t.Name, [StudioRoles.Engineer], displayName: "Sam Sound");
        var desk = await Factory.CreateUserAsync(t.Name, [StudioRoles.FrontDesk]);

        var notEngineer = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveEngineerAsync(new Engineer { UserId = desk.Id }, Actor)));
        Assert.Equal(nameof(Engineer.UserId), notEngineer.Field);
        await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveEngineerAsync(new Engineer { UserId = "no-such-user" }, Actor)));

        var engineer = await InCatalogAsync(t.Name, c => c.SaveEngineerAsync(new Engineer { UserId = engineerUser.Id, HourlyRate = 35m }, Actor));
        Assert.Equal("Sam Sound", engineer.DisplayName);
        Assert.Equal(engineer, await InCatalogAsync(t.Name, c => c.FindEngineerByUserAsync(engineerUser.Id)));
        await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveEngineerAsync(new Engineer { UserId = engineerUser.Id }, Actor)));

        WorkingHours[] hours = [new(DayOfWeek.Tuesday, 10 * 60, 19 * 60), new(DayOfWeek.Tuesday, 13 * 60, 14 * 60, "break")];
        await InCatalogAsync(t.Name, async c => { await c.SetWorkingHoursAsync(engineer.Id, hours, Actor); return 0; });
        Assert.Equal(hours, await InCatalogAsync(t.Name, c => c.GetWorkingHoursAsync(engineer.Id)));
        await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, async c =>
        {
            await c.SetWorkingHoursAsync(engineer.Id, [new(DayOfWeek.Tuesday, 10 * 60, 12 * 60), new(DayOfWeek.Tuesday, 13 * 60, 14 * 60, "break")], Actor);
            return 0;
        }));

        var start = new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc);
        var off = await InCatalogAsync(t.Name, c => c.AddTimeOffAsync(new TimeOff(0, engineer.Id, start, start.AddDays(14), "Holiday"), Actor));
        var listed = await InCatalogAsync(t.Name, c => c.ListTimeOffAsync(engineer.Id, start.AddDays(3), start.AddDays(4)));
        Assert.Equal([off], listed);
        Assert.Equal(DateTimeKind.Utc, listed[0].StartUtc.Kind);
        Assert.Empty(await InCatalogAsync(t.Name, c => c.ListTimeOffAsync(engineer.Id, start.AddDays(14), start.AddDays(20))));
        await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.AddTimeOffAsync(new TimeOff(0, engineer.Id, start, start, "Nothing"), Actor)));
        await InCatalogAsync(t.Name, async c => { await c.DeleteTimeOffAsync(off.Id, Actor); return 0; });
        Assert.Empty(await InCatalogAsync(t.Name, c => c.ListTimeOffAsync(engineer.Id, start, start.AddDays(30))));
    }

    [Fact]
    public async Task Resources_musicians_and_services_round_trip_and_validate()
    {
        var t = await CreateTenantAsync(Bookings);
        var room = await InCatalogAsync(t.Name, c => c.SaveRoomAsync(SampleRoom(), Actor));
        var mic = await InCatalogAsync(t.Name, c => c.SaveResourceAsync(new BookableResource
        {
            Name = "U87", Category = "microphone", Quantity = 2, RoomId = room.Id, DailyRate = 25m, BookableAlone = true,
        }, Actor));
        Assert.Equal(mic, await InCatalogAsync(t.Name, c => c.GetResourceAsync(mic.Id)));
        await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveResourceAsync(mic with { Id = 0, Quantity = 0 }, Actor)));

        var player = await InCatalogAsync(t.Name, c => c.SaveMusicianAsync(new Musician(0, "Jo Keys", "piano, organ", "jo@example.test", 40m, false), Actor));
        Assert.Equal([player], await InCatalogAsync(t.Name, c => c.ListMusiciansAsync()));
        var badMail = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveMusicianAsync(player with { Id = 0, Email = "nope" }, Actor)));
        Assert.Equal(nameof(Musician.Email), badMail.Field);

        var service = await InCatalogAsync(t.Name, c => c.SaveServiceAsync(new StudioService
        {
            Name = "Recording hour", DurationKind = DurationKinds.Hourly, MinUnits = 2, MaxUnits = 10,
            PriceKind = PriceKinds.RoomRate, RoomIds = [room.Id, room.Id], DepositPercent = 25,
        }, Actor));
        var read = await InCatalogAsync(t.Name, c => c.GetServiceAsync(service.Id));
        Assert.NotNull(read);
        Assert.Equal([room.Id], read.RoomIds);
        Assert.Equal(60, read.DurationMinutes);
        Assert.Equal(25, read.DepositPercent);
        var hidden = await InCatalogAsync(t.Name, c => c.SaveServiceAsync(new StudioService
        {
            Name = "Mastering per track", DurationKind = DurationKinds.Fixed, DurationMinutes = 45, PriceKind = PriceKinds.Fixed,
            Price = 80m, RequiresRoom = false, Public = false,
        }, Actor));
        Assert.Equal(2, (await InCatalogAsync(t.Name, c => c.ListServicesAsync())).Count);
        var publicOnly = await InCatalogAsync(t.Name, c => c.ListServicesAsync(publicOnly: true));
        Assert.Equal([service.Id], publicOnly.Select(s => s.Id));
        Assert.Equal([room.Id], publicOnly[0].RoomIds);
        Assert.Equal(80m, (await InCatalogAsync(t.Name, c => c.GetServiceAsync(hidden.Id)))!.Price);

        var roomless = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveServiceAsync(service with { Id = 0, RequiresRoom = false, RoomIds = [] }, Actor)));
        Assert.Equal(nameof(StudioService.RequiresRoom), roomless.Field);
        var missingRoom = await Assert.ThrowsAsync<BookingValidationException>(() => InCatalogAsync(t.Name, c => c.SaveServiceAsync(service with { RoomIds = [room.Id + 999] }, Actor)));
        Assert.Equal(nameof(StudioService.RoomIds), missingRoom.Field);
        Assert.Equal([room.Id], (await InCatalogAsync(t.Name, c => c.GetServiceAsync(service.Id)))!.RoomIds);
    }
}
