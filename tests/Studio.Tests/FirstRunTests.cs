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
}
