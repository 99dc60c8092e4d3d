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
}
