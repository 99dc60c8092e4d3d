using Microsoft.Extensions.Logging;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>A host whose recipe folder also holds recipes that fail in different ways.</summary>
public sealed class RecipeStudioFactory : StudioFactory
{
    public RecipeStudioFactory()
    {
        RecipesPath = Path.Combine(DataPath, "recipes");
        Directory.CreateDirectory(RecipesPath);
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "recipes"), "*.json"))
            File.Copy(file, Path.Combine(RecipesPath, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(RecipesPath, "bad-greetings.json"), """
            { "name": "bad-greetings", "steps": [
              { "name": "features", "enable": [ "Studio.Hello" ] },
              { "name": "greetings", "items": [ { "author": "Ok", "message": "first" }, { "author": "", "message": "no author" } ] } ] }
            """);
        File.WriteAllText(Path.Combine(RecipesPath, "bad-migration.json"), $$"""
            { "name": "bad-migration", "steps": [ { "name": "features", "enable": [ "{{ProbeFeatures.BrokenMigration}}" ] },
              { "name": "greetings", "items": [] } ] }
            """);
        File.WriteAllText(Path.Combine(RecipesPath, "staff-users.json"), """
            { "name": "staff-users", "steps": [
              { "name": "features", "enable": [ "Studio.Email" ] },
              { "name": "users", "baseUrl": "https://studio.example", "items": [
                { "email": "owner@studio.example", "name": "Olive", "roles": [ "owner" ], "password": "recipe-owner-password" },
                { "email": "eng@studio.example", "name": "Eno", "roles": [ "engineer" ] } ] } ] }
            """);
        File.WriteAllText(Path.Combine(RecipesPath, "bad-users.json"), """
            { "name": "bad-users", "steps": [
              { "name": "users", "items": [ { "email": "op@studio.example", "roles": [ "operator" ], "password": "recipe-owner-password" } ] } ] }
            """);
        File.WriteAllText(Path.Combine(RecipesPath, "unknown-step.json"), """
            { "name": "unknown-step", "steps": [ { "name": "bookings", "rooms": [] } ] }
            """);
    }

    public string RecipesPath { get; }

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:RecipesPath"] = RecipesPath;
        // Recipes invite people by e-mail and these tenants have no mail provider: with the pump off the mail stays
        // in the outbox for the tests to read, instead of a delivery attempt warning at a moment no test controls.
        settings["Studio:Email:PollInterval"] = "00:00:00";
        return settings;
    }
}

/// <summary>Creating a tenant runs its recipe; a failing recipe leaves nothing behind.</summary>
public sealed class RecipeTests(RecipeStudioFactory factory) : StudioTest<RecipeStudioFactory>(factory)
{
    private async Task AssertNothingLeftAsync(string name)
    {
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
        Assert.False(Factory.Shells.Table.ByName.ContainsKey(name));
        Assert.DoesNotContain(Factory.Shells.ActiveShells, s => s.Record.Name == name);
        await AssertStorageGoneAsync(name);
        await GetStringAsync(Factory.ClientFor($"{name}.test"), "/", System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Demo_recipe_sets_up_a_working_tenant()
    {
        var tenant = await CreateTenantAsync(configure: r => r with { Recipe = "demo-studio" });
        var record = await RecordAsync(tenant.Name);
        Assert.Equal(TenantState.Running, record.State);
        Assert.Equal("Midnight", record.Theme);
        Assert.Equal("en-GB", record.Culture);
        var page = await GetStringAsync(tenant.Client, "hello");
        Assert.Contains("Leave a note for the band", page);
        Assert.Contains("Best vocal booth in town.", page);
    }

    [Fact]
    public async Task Failing_recipe_step_leaves_nothing_behind()
    {
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = "bad-greetings" }, name: name));
        Assert.Contains("greetings", e.Message);
        await AssertNothingLeftAsync(name);
    }

    [Fact]
    public async Task Recipe_step_no_enabled_feature_handles_is_refused_and_leaves_nothing_behind()
    {
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = "unknown-step" }, name: name));
        Assert.Contains("no enabled feature handles the step 'bookings'", e.Message);
        await AssertNothingLeftAsync(name);
    }

    [Fact]
    public async Task Failing_migration_during_setup_leaves_nothing_behind()
    {
        ExpectLog(typeof(ShellHost).FullName!, LogLevel.Error, @"^Tenant t[0-9a-f]+ was disabled: Migration 1 of feature 'Tests\.BrokenMigration' failed: ");
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = "bad-migration" }, name: name));
        Assert.Contains("Tests.BrokenMigration", e.Message);
        await AssertNothingLeftAsync(name);
    }

    [Fact]
    public async Task Unknown_recipe_is_refused_listing_the_available_ones()
    {
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = "nope" }, name: name));
        Assert.Contains("There is no recipe 'nope'", e.Message);
        Assert.Contains("demo-studio", e.Message);
        await AssertNothingLeftAsync(name);
    }
}
