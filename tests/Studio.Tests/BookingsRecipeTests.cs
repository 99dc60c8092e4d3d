using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>A host whose recipe folder also holds bookings recipes that fail.</summary>
public sealed class BookingsRecipeFactory : StudioFactory
{
    public BookingsRecipeFactory()
    {
        RecipesPath = Path.Combine(DataPath, "recipes");
        Directory.CreateDirectory(RecipesPath);
        File.WriteAllText(Path.Combine(RecipesPath, "bookings-unknown-room.json"), """
            { "name": "bookings-unknown-room", "steps": [
              { "name": "features", "enable": [ "Studio.Bookings" ] },
              { "name": "bookings",
                "rooms": [ { "name": "Studio A", "hourlyRate": 50, "hours": [ { "days": [ "monday" ], "from": "09:00", "to": "18:00" } ] } ],
                "services": [ { "name": "Recording", "rooms": [ "Studio B" ] } ] } ] }
            """);
        File.WriteAllText(Path.Combine(RecipesPath, "bookings-bad-rate.json"), """
            { "name": "bookings-bad-rate", "steps": [
              { "name": "features", "enable": [ "Studio.Bookings" ] },
              { "name": "bookings", "rooms": [ { "name": "Studio A", "hourlyRate": -5 } ] } ] }
            """);
        File.WriteAllText(Path.Combine(RecipesPath, "bookings-bad-day.json"), """
            { "name": "bookings-bad-day", "steps": [
              { "name": "features", "enable": [ "Studio.Bookings" ] },
              { "name": "bookings", "rooms": [ { "name": "Studio A", "hourlyRate": 5, "hours": [ { "days": [ "funday" ], "from": "09:00", "to": "18:00" } ] } ] } ] }
            """);
    }

    public string RecipesPath { get; }

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:RecipesPath"] = RecipesPath;
        return settings;
    }
}

/// <summary>The "bookings" recipe step refuses bad input with a message naming the step and the item, and leaves nothing behind.</summary>
public sealed class BookingsRecipeTests(BookingsRecipeFactory factory) : StudioTest<BookingsRecipeFactory>(factory)
{
    [Theory]
    [InlineData("bookings-unknown-room", "room 'Studio B' is not in this step's rooms")]
    [InlineData("bookings-bad-rate", "room 'Studio A': Amounts must be between 0 and 1,000,000.")]
    [InlineData("bookings-bad-day", "'funday' is not a weekday")]
    public async Task A_bad_bookings_step_fails_the_recipe_and_leaves_nothing_behind(string recipe, string message)
    {
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = recipe }, name: name));
        Assert.Contains("Step 'bookings'", e.Message);
        Assert.Contains(message, e.Message);
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
        await AssertStorageGoneAsync(name);
    }
}
