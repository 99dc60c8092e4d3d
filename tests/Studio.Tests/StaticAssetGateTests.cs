using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Features;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// A module's static assets (<c>/_content/{assembly}/...</c>) answer only on tenants where one of its features is
/// enabled, a theme's only on tenants whose theme it is or extends — like the module's pages, everywhere else 404.
/// </summary>
public sealed class StaticAssetGateTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string BookingsCss = "/_content/Studio.Modules.Bookings/bookings.css";
    private const string CurrenciesCss = "/_content/Studio.Modules.Currencies/currencies.css";
    private const string AuroraCss = "/_content/Studio.Themes.Aurora/theme.css";
    private const string MidnightCss = "/_content/Studio.Themes.Midnight/theme.css";

    [Fact]
    public async Task A_modules_assets_answer_only_where_one_of_its_features_is_enabled()
    {
        var without = await CreateTenantAsync(["Studio.Hello"]);
        var with = await CreateTenantAsync(["Studio.Bookings"]);

        await GetStringAsync(without.Client, BookingsCss, HttpStatusCode.NotFound);
        await GetStringAsync(without.Client, "/_content/Studio.Modules.Bookings/catalog.css", HttpStatusCode.NotFound);
        await GetStringAsync(without.Client, CurrenciesCss, HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrWhiteSpace(await GetStringAsync(with.Client, BookingsCss)));
        await GetStringAsync(with.Client, CurrenciesCss, HttpStatusCode.NotFound);
        // The theme's assets are the tenant's whatever its features.
        await GetStringAsync(without.Client, AuroraCss);

        // Live, like the feature's pages: enabling it serves its assets, disabling it takes them away again.
        await ChangeFeaturesAsync(without.Name, ["Studio.Bookings"], [], force: true);
        await GetStringAsync(without.Client, BookingsCss);
        await ChangeFeaturesAsync(without.Name, [], ["Studio.Bookings"], force: true);
        await GetStringAsync(without.Client, BookingsCss, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_themes_assets_answer_on_tenants_of_that_theme_and_of_themes_extending_it()
    {
        var aurora = await CreateTenantAsync(configure: r => r with { Theme = "Aurora" });
        var midnight = await CreateTenantAsync(configure: r => r with { Theme = "Midnight" });

        await GetStringAsync(aurora.Client, AuroraCss);
        await GetStringAsync(aurora.Client, MidnightCss, HttpStatusCode.NotFound);
        await GetStringAsync(aurora.Client, "/_content/Studio.Themes.Midnight/favicon.svg", HttpStatusCode.NotFound);
        await GetStringAsync(midnight.Client, MidnightCss);
        // Midnight extends Aurora: its pages may use Aurora's files.
        await GetStringAsync(midnight.Client, AuroraCss);
    }

    [Fact]
    public async Task Always_enabled_features_count_and_the_assembly_name_is_matched_whatever_its_case()
    {
        var tenant = await CreateTenantAsync();
        var context = await Factory.InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<TenantContext>()));
        var defaultContext = await Factory.InTenantAsync(TenantContext.DefaultName, sp => Task.FromResult(sp.GetRequiredService<TenantContext>()));
        var gate = Factory.Get<StaticAssetGate>();

        // Identity and Settings are always enabled; Plans only on the Default tenant (always enabled there).
        Assert.True(gate.Allows("/_content/Studio.Modules.Identity/site.js", context));
        Assert.True(gate.Allows("/_content/Studio.Modules.Settings/settings.css", context));
        Assert.False(gate.Allows("/_content/Studio.Modules.Plans/plans.css", context));
        Assert.True(gate.Allows("/_content/Studio.Modules.Plans/plans.css", defaultContext));

        Assert.False(gate.Allows("/_content/studio.modules.bookings/bookings.css", context));
        Assert.False(gate.Allows("//_content//Studio.Modules.Bookings/bookings.css", context));
        Assert.False(gate.Allows(BookingsCss, null));
        // Not a module's or a theme's: left to the static files as before.
        Assert.True(gate.Allows("/_content/Some.Package/lib.js", context));
        Assert.True(gate.Allows("/bookings.css", context));
    }
}
