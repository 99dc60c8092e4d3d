using Microsoft.Extensions.Logging;
using Studio.Host.Data;
using Studio.Host.Tenancy;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>On first run (seeding on) a new user sees the Default tenant and a working demo studio.</summary>
public sealed class FirstRunTests(SeededStudioFactory factory) : StudioTest<SeededStudioFactory>(factory)
{
    [Fact]
    public async Task Default_and_demo_studio_tenants_exist_and_answer()
    {
        var tenants = Factory.Shells.Table.ByName;
        Assert.True(tenants[TenantContext.DefaultName].State == TenantState.Running);
        var demo = tenants[StudioBootstrapper.DemoTenant];
        Assert.Equal(TenantState.Running, demo.State);
        Assert.Equal(["demo.localhost"], demo.Hosts);
        Assert.Equal("Midnight", demo.Theme);

        Assert.Contains("Welcome to Studio", await GetStringAsync(Factory.ClientFor("localhost"), "/"));
        foreach (var host in new[] { "demo.localhost", "demo.localhost:5080", "demo.localhost:8443" })
        {
            var client = Factory.ClientFor(host);
            var home = await GetStringAsync(client, "/");
            Assert.Contains("data-theme=\"Midnight\"", home);
            Assert.Contains("_content/Studio.Themes.Midnight/theme.css", home);
            Assert.Contains("Blue Room Recording", home);
            Assert.Contains("--brand-primary: #2f6fde;", await GetStringAsync(client, "brand.css"));
            var guestBook = await GetStringAsync(client, "hello");
            Assert.Contains("Leave a note for the band", guestBook);
            Assert.Contains("Best vocal booth in town.", guestBook);
        }
    }

    [Fact]
    public async Task The_default_tenant_has_the_platform_administration_and_its_trail_from_the_first_run()
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[TenantContext.DefaultName], CancellationToken.None);
        try
        {
            foreach (var feature in new[] { "Studio.Identity", "Studio.Tenants", "Studio.Plans", "Studio.Resellers", "Studio.Api", "Studio.Audit" })
                Assert.True(shell.Context.IsFeatureEnabled(feature), feature);
        }
        finally { shell.Leave(); }
        // The operator pages are there (anonymous: sent to sign in), not missing (404).
        using var response = await Factory.ClientFor("localhost").GetAsync("admin/tenants");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/sign-in", response.Headers.Location!.OriginalString);
        // A studio tenant never has them.
        var demo = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[StudioBootstrapper.DemoTenant], CancellationToken.None);
        try { Assert.False(demo.Context.IsFeatureEnabled("Studio.Tenants")); }
        finally { demo.Leave(); }
    }

    /// <summary>A host on shared data that seeds the demo studio, from an empty recipe folder when told to (so it fails).</summary>
    private sealed class DemoSeedingFactory(TestDatabase shared, bool recipesMissing) : StudioFactory(shared)
    {
        private readonly string _emptyRecipes = Path.Combine(shared.DataPath, "no-recipes");

        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings["Studio:SeedDemoTenant"] = "true";
            if (recipesMissing)
            {
                Directory.CreateDirectory(_emptyRecipes);
                settings["Studio:RecipesPath"] = _emptyRecipes;
            }
            return settings;
        }

        protected override IReadOnlyCollection<ExpectedLog> StartupLogs => recipesMissing
            ? [new ExpectedLog(typeof(StudioBootstrapper).FullName!, LogLevel.Error, $"^Could not create the demo tenant {StudioBootstrapper.DemoTenant}; the next start tries again$")]
            : [];
    }

    [Fact]
    public async Task A_demo_studio_that_failed_on_the_first_run_is_created_at_the_next_start_and_once_removed_stays_removed()
    {
        using var data = new TestDatabase();
        await using (var first = new DemoSeedingFactory(data, recipesMissing: true))
        {
            _ = first.Server; // starts, without its demo studio
            Assert.True(first.Shells.Table.ByName.ContainsKey(TenantContext.DefaultName));
            Assert.False(first.Shells.Table.ByName.ContainsKey(StudioBootstrapper.DemoTenant));
            Assert.Null(await first.Get<PlatformSettings>().GetAsync(StudioBootstrapper.DemoSeededSetting, default));
            await GetStringAsync(first.ClientFor("demo.localhost"), "/", System.Net.HttpStatusCode.NotFound);
        }

        await using (var second = new DemoSeedingFactory(data, recipesMissing: false))
        {
            var demo = second.Shells.Table.ByName[StudioBootstrapper.DemoTenant];
            Assert.Equal(TenantState.Running, demo.State);
            Assert.Contains("Blue Room Recording", await GetStringAsync(second.ClientFor("demo.localhost"), "/"));
            Assert.Equal("true", await second.Get<PlatformSettings>().GetAsync(StudioBootstrapper.DemoSeededSetting, default));

            // The operator removes it.
            var tenants = second.Get<TenantService>();
            await tenants.SetEnabledAsync(StudioBootstrapper.DemoTenant, false);
            await tenants.RemoveAsync(StudioBootstrapper.DemoTenant);
        }

        await using var third = new DemoSeedingFactory(data, recipesMissing: false);
        Assert.False(third.Shells.Table.ByName.ContainsKey(StudioBootstrapper.DemoTenant));
        await GetStringAsync(third.ClientFor("demo.localhost"), "/", System.Net.HttpStatusCode.NotFound);
    }
}
