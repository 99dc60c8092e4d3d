using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Currencies;
using Studio.Identity;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Currencies.Services;
using Studio.Tests.Bookings;
using Studio.Tests.Infrastructure;

namespace Studio.Tests.Currencies;

/// <summary>A host whose rate feed is a local server (never the internet).</summary>
public sealed class CurrenciesFactory : StudioFactory
{
    public LocalRateFeed Feed { get; } = LocalRateFeed.Start();

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:Currencies:FeedUrl"] = Feed.Url;
        settings["Studio:Currencies:RefreshMinutes"] = "60";
        // A short circuit break, so a test that took the feed down sees it recover.
        settings["Studio:Currencies:CircuitBreakSeconds"] = "1";
        return settings;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Feed.DisposeAsync();
    }
}

/// <summary>
/// The Currencies module in a running host: refresh through a local feed (stored per tenant with its date, kept
/// when the feed is malformed or down), the settings page (validation, manual rates), the display-currency picker and
/// approximate prices on the Bookings portal, Bookings' base currency, and isolation between tenants.
/// </summary>
public sealed partial class CurrenciesTests(CurrenciesFactory factory) : StudioTest<CurrenciesFactory>(factory)
{
    private static readonly AuditActor Owner = new("owner-1", "Owner");

    private Task<TestTenant> TenantAsync(params string[] features) =>
        CreateTenantAsync(features.Length == 0 ? [CurrenciesFeature.Id] : features, r => r with { TimeZone = "Europe/Paris", Culture = "en-GB" });

    private Task<T> In<T>(TestTenant tenant, Func<IServiceProvider, Task<T>> work) => Factory.InTenantAsync(tenant.Name, work);

    private Task<RefreshResult> RefreshAsync(TestTenant tenant) =>
        In(tenant, sp => sp.GetRequiredService<CurrencyRates>().RefreshAsync(force: true));

    private Task SettingsAsync(TestTenant tenant, string baseCurrency, params string[] display) =>
        In(tenant, sp => sp.GetRequiredService<CurrencyStore>().SaveSettingsAsync(baseCurrency, display, Owner));

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, string postUrl, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiforgeryToken(await GetStringAsync(client, pageUrl));
        return await client.PostAsync(postUrl, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Rates_are_fetched_through_the_feed_and_stored_per_tenant_with_their_date()
    {
        Factory.Feed.ServeSample();
        var tenant = await TenantAsync();
        var result = await RefreshAsync(tenant);
        Assert.Null(result.Error);
        Assert.Equal(new DateOnly(2099, 1, 2), result.Stored!.Date);
        // Read back from the tenant's own database (a new scope: nothing cached).
        var stored = await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetRatesAsync());
        Assert.Equal(new DateOnly(2099, 1, 2), stored!.Date);
        Assert.Equal(1.1000m, stored.PerEuro["USD"]);
        Assert.Equal(160m, stored.PerEuro["JPY"]);

        // A second tenant within the refresh interval is served by the shared copy: no new request.
        var before = Factory.Feed.Requests;
        var other = await TenantAsync();
        var otherRates = await In(other, sp => sp.GetRequiredService<CurrencyRates>().RefreshAsync(force: false));
        Assert.Equal(new DateOnly(2099, 1, 2), otherRates.Stored!.Date);
        Assert.Equal(before, Factory.Feed.Requests);
    }

    [Fact]
    public async Task A_malformed_or_unreachable_feed_keeps_the_last_known_rates_and_the_page_says_from_when()
    {
        // The client's resilience pipeline logs its retries and opens its circuit on the 503s.
        ExpectLog("Polly", Microsoft.Extensions.Logging.LogLevel.Warning, ".*", required: false);
        ExpectLog("Polly", Microsoft.Extensions.Logging.LogLevel.Error, ".*", required: false);
        Factory.Feed.ServeDay("2099-01-05", "1.2000");
        var tenant = await TenantAsync();
        await SettingsAsync(tenant, "EUR", "USD");
        Assert.Equal(new DateOnly(2099, 1, 5), (await RefreshAsync(tenant)).Stored!.Date);
        try
        {
            Factory.Feed.ServeMalformed();
            var malformed = await RefreshAsync(tenant);
            Assert.Equal(EcbFeedError.NotEcbFeed, malformed.Error);
            Assert.Equal(new DateOnly(2099, 1, 5), malformed.Stored!.Date);
            Assert.Equal(1.2m, malformed.Stored.PerEuro["USD"]);

            Factory.Feed.GoDown();
            var down = await RefreshAsync(tenant);
            Assert.Equal(EcbFeedError.Unreachable, down.Error);
            Assert.Equal(new DateOnly(2099, 1, 5), down.Stored!.Date);

            var owner = await Factory.AsAsync(tenant);
            var page = WebUtility.HtmlDecode(await GetStringAsync(owner.Client, "/admin/currencies"));
            Assert.Contains("European Central Bank reference rates of 5 Jan 2099.", page);
            Assert.Contains("The last refresh failed (the feed could not be reached); the last known rates, of 5 Jan 2099, are used.", page);
            Assert.Contains("<td>1.2</td>", page); // 1 EUR = 1.2 USD, still in use

            // Conversions keep working on the last known rates.
            var approx = await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().SnapshotAsync());
            Assert.Equal(new Money(120m, "USD"), CurrencyConverter.Convert(new Money(100m, "EUR"), "USD", approx!)!.Result);
        }
        finally
        {
            Factory.Feed.ServeSample();
        }
        // The feed is back. The circuit stays open for its break (a dead feed is not hammered), then a fetch
        // refreshes the shared copy — of an older day, which never replaces this tenant's newer one.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var other = await Factory.AsAsync(await TenantAsync());
        var requests = Factory.Feed.Requests;
        using (var refreshed = await PostAsync(other.Client, "/admin/currencies", "/admin/currencies?handler=Refresh", []))
            Assert.Equal(HttpStatusCode.Redirect, refreshed.StatusCode);
        var otherPage = WebUtility.HtmlDecode(await GetStringAsync(other.Client, "/admin/currencies"));
        // The new tenant had the shared copy of 5 Jan at activation; the feed's 2 Jan does not replace it either.
        Assert.Contains("The rates are up to date: ECB rates of 5 Jan 2099.", otherPage);
        Assert.True(Factory.Feed.Requests > requests, "the forced refresh fetched the feed");
        var after = await In(tenant, sp => sp.GetRequiredService<CurrencyRates>().RefreshAsync(force: false));
        Assert.Null(after.Error);
        Assert.Equal(new DateOnly(2099, 1, 5), after.Stored!.Date);
        var owner2 = await Factory.AsAsync(tenant);
        Assert.DoesNotContain("The last refresh failed", WebUtility.HtmlDecode(await GetStringAsync(owner2.Client, "/admin/currencies")));
    }

    [Fact]
    public async Task The_settings_page_validates_and_saves()
    {
        var tenant = await Factory.AsAsync(await TenantAsync());
        var page = await GetStringAsync(tenant.Client, "/admin/currencies");
        Assert.Contains("name=\"BaseCurrency\"", page);
        Assert.Contains(".cur-rates", await GetStringAsync(tenant.Client, "/_content/Studio.Modules.Currencies/currencies.css"));

        using (var bad = await PostAsync(tenant.Client, "/admin/currencies", "/admin/currencies?handler=Settings",
            new() { ["BaseCurrency"] = "XYZ", ["DisplayCurrencies"] = "USD" }))
        {
            Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
            Assert.Contains("Choose a base currency among EUR, USD, GBP, CHF, CAD, JPY.", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        }
        using (var bad = await PostAsync(tenant.Client, "/admin/currencies", "/admin/currencies?handler=Settings",
            new() { ["BaseCurrency"] = "EUR", ["DisplayCurrencies"] = "SEK" }))
            Assert.Contains("'SEK' is not a supported currency.", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));
        Assert.Null((await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetSettingsAsync())).BaseCurrency);

        // A manual rate needs a base currency first.
        using (var early = await PostAsync(tenant.Client, "/admin/currencies", "/admin/currencies?handler=Manual",
            new() { ["ManualCurrency"] = "USD", ["ManualRate"] = "1.25" }))
            Assert.Contains("Save a base currency before setting manual rates.", WebUtility.HtmlDecode(await early.Content.ReadAsStringAsync()));

        using (var saved = await PostAsync(tenant.Client, "/admin/currencies", "/admin/currencies?handler=Settings",
            new() { ["BaseCurrency"] = "CHF", ["DisplayCurrencies"] = "USD" }))
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetSettingsAsync());
        Assert.Equal("CHF", settings.BaseCurrency);
        Assert.Equal(["USD"], settings.DisplayCurrencies);

        foreach (var (currency, rate, message) in new[]
        {
            ("USD", "abc", "\"abc\" is not a rate: write a number such as 1.0825."),
            ("USD", "", "Enter a rate, or remove the manual rate."),
            ("USD", "-1", "\"-1\" is not a rate: write a number such as 1.0825."),
            ("USD", "0", "A rate must be a positive number up to 1,000,000 with at most 6 decimals."),
            ("USD", "1.1234567", "A rate must be a positive number up to 1,000,000 with at most 6 decimals."),
            ("CHF", "1", "Manual rates are for the supported currencies other than the base currency (CHF)."),
            ("SEK", "1", "Manual rates are for the supported currencies other than the base currency (CHF)."),
        })
        {
            using var refused = await PostAsync(tenant.Client, "/admin/currencies", "/admin/currencies?handler=Manual",
                new() { ["ManualCurrency"] = currency, ["ManualRate"] = rate });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains(message, WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        }
        Assert.Empty(await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync()));

        using (var set = await PostAsync(tenant.Client, "/admin/currencies", "/admin/currencies?handler=Manual",
            new() { ["ManualCurrency"] = "usd", ["ManualRate"] = "1.125" }))
            Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        var manual = await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync());
        Assert.Equal(1.125m, manual["USD"].Rate);
        var shown = WebUtility.HtmlDecode(await GetStringAsync(tenant.Client, "/admin/currencies"));
        Assert.Contains("The manual rate of USD is saved.", shown);
        Assert.Matches(@"Manual \(set \d{1,2} \w{3} \d{4}\)", shown);

        // Changing the base currency drops the manual rates (they were against the old one).
        await SettingsAsync(tenant, "EUR", "USD");
        Assert.Empty(await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync()));
    }

    [Fact]
    public async Task Only_owners_and_admins_open_the_settings()
    {
        var tenant = await TenantAsync();
        var client = await Factory.ClientAsAsync(tenant, StudioRoles.Client);
        using var response = await client.GetAsync("/admin/currencies");
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        using var anonymous = await tenant.Client.GetAsync("/admin/currencies");
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        var admin = await Factory.ClientAsAsync(tenant, StudioRoles.Admin);
        await GetStringAsync(admin, "/admin/currencies");
    }

    [Fact]
    public async Task Visitors_see_approximate_prices_in_their_display_currency_on_the_portal()
    {
        Factory.Feed.ServeSample();
        var tenant = await TenantAsync("Studio.Bookings", CurrenciesFeature.Id);
        var setup = await PortalTests.SetUpAsync(Factory, tenant);
        await SettingsAsync(tenant, "EUR", "USD", "JPY");
        await RefreshAsync(tenant);

        var visitor = tenant.Client;
        var rooms = WebUtility.HtmlDecode(await GetStringAsync(visitor, "/rooms"));
        Assert.Contains("€50.00", rooms);
        Assert.Contains("name=\"code\"", rooms); // the picker
        Assert.DoesNotContain("≈", rooms);      // base currency until the visitor picks another

        using var pick = await PostAsync(visitor, "/rooms", "/currency/display", new() { ["code"] = "USD", ["returnUrl"] = "/rooms" });
        Assert.Equal(HttpStatusCode.Redirect, pick.StatusCode);
        Assert.Equal("/rooms", pick.Headers.Location!.OriginalString);
        var cookie = TestAccounts.SetCookie(pick, ".Studio.DisplayCurrency.");
        Assert.NotNull(cookie);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        rooms = WebUtility.HtmlDecode(await GetStringAsync(visitor, "/rooms"));
        Assert.Contains("€50.00", rooms);                              // the price stays in the base currency
        Assert.Contains("≈ $55.00 (rate of 2 Jan 2099)", rooms);       // 50 × 1.1
        Assert.Contains("≈ $198.00 (rate of 2 Jan 2099)", rooms);      // half day 180 × 1.1
        Assert.Contains("<option value=\"USD\" selected=\"selected\">", rooms);

        var service = WebUtility.HtmlDecode(await GetStringAsync(visitor, $"/book/{setup.ServiceId}?from={setup.Day:yyyy-MM-dd}&to={setup.Day:yyyy-MM-dd}&units=2"));
        Assert.Contains("€100.00", service);
        Assert.Contains("≈ $110.00 (rate of 2 Jan 2099)", service);
        Assert.Contains("name=\"code\"", WebUtility.HtmlDecode(await GetStringAsync(visitor, "/book")));

        // Yen: no minor unit. A manual rate wins and says so.
        using (var yen = await PostAsync(visitor, "/rooms", "/currency/display", new() { ["code"] = "JPY", ["returnUrl"] = "/rooms" }))
            Assert.Equal(HttpStatusCode.Redirect, yen.StatusCode);
        Assert.Contains("≈ ¥8,000 (rate of 2 Jan 2099)", WebUtility.HtmlDecode(await GetStringAsync(visitor, "/rooms")));
        await In(tenant, async sp => { await sp.GetRequiredService<CurrencyStore>().SetManualRateAsync("JPY", 150m, Owner); return 0; });
        Assert.Matches(@"≈ ¥7,500 \(manual rate of \d{1,2} \w{3} \d{4}\)", WebUtility.HtmlDecode(await GetStringAsync(visitor, "/rooms")));

        // A currency the owner does not allow is not kept; picking the base currency clears the choice.
        using (var refused = await PostAsync(visitor, "/rooms", "/currency/display", new() { ["code"] = "GBP", ["returnUrl"] = "https://evil.example/" }))
        {
            Assert.Equal("/", refused.Headers.Location!.OriginalString);
            Assert.DoesNotContain("≈", WebUtility.HtmlDecode(await GetStringAsync(visitor, "/rooms")));
        }

        // A signed-in client sees the approximate price of their booking on /my/bookings; what is held is in euros.
        var user = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Client]);
        var client = Factory.ClientWithCookie(tenant.Host, await Factory.SessionCookieAsync(tenant.Name, user));
        using (var usd = await PostAsync(client, "/rooms", "/currency/display", new() { ["code"] = "USD", ["returnUrl"] = "/my/bookings" }))
            Assert.Equal("/my/bookings", usd.Headers.Location!.OriginalString);
        var slots = await GetStringAsync(client, $"/book/{setup.ServiceId}?from={setup.Day:yyyy-MM-dd}&to={setup.Day:yyyy-MM-dd}&units=2");
        var slot = WebUtility.HtmlDecode(SlotLinkRegex().Match(slots).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(slot), "no slot link");
        using (var hold = await PostAsync(client, slot, slot, []))
            Assert.Equal(HttpStatusCode.Redirect, hold.StatusCode);
        var mine = WebUtility.HtmlDecode(await GetStringAsync(client, "/my/bookings"));
        Assert.Contains("€100.00", mine);
        Assert.Contains("≈ $110.00 (rate of 2 Jan 2099)", mine);
        Assert.Contains("name=\"code\"", mine);

        // The amounts charged stay in the base currency.
        var quote = await In(tenant, async sp => (await sp.GetRequiredService<IBookingCatalog>().GetPolicyAsync()).Currency);
        Assert.Equal("EUR", quote);
    }

    [GeneratedRegex("href=\"(/book/\\d+/slot\\?[^\"]+)\"")]
    private static partial Regex SlotLinkRegex();

    [Fact]
    public async Task On_a_prefixed_tenant_the_display_currency_cookie_is_scoped_to_its_prefix()
    {
        var name = NewName();
        var tenant = await CreateTenantAsync(["Studio.Bookings", CurrenciesFeature.Id], r => r with { Hosts = [], Prefix = name }, name);
        await SettingsAsync(tenant, "EUR", "USD");
        var client = Factory.ClientFor("localhost");
        using var pick = await PostAsync(client, $"/{name}/rooms", $"/{name}/currency/display", new() { ["code"] = "USD", ["returnUrl"] = $"/{name}/rooms" });
        Assert.Equal($"/{name}/rooms", pick.Headers.Location!.OriginalString);
        Assert.Contains($"path=/{name}", TestAccounts.SetCookie(pick, $".Studio.DisplayCurrency.{name}=")!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_base_currency_is_the_one_Bookings_prices_in()
    {
        var tenant = await TenantAsync("Studio.Bookings", CurrenciesFeature.Id);
        await PortalTests.SetUpAsync(Factory, tenant);
        Assert.Equal("EUR", await In(tenant, async sp => (await sp.GetRequiredService<IBookingCatalog>().GetPolicyAsync()).Currency));
        await SettingsAsync(tenant, "CHF", "EUR");
        Assert.Equal("CHF", await In(tenant, async sp => (await sp.GetRequiredService<IBookingCatalog>().GetPolicyAsync()).Currency));
        var rooms = WebUtility.HtmlDecode(await GetStringAsync(tenant.Client, "/rooms"));
        Assert.Contains("CHF 50.00", rooms.Replace('\u00A0', ' '));

        var owner = await Factory.AsAsync(tenant);
        var policyPage = WebUtility.HtmlDecode(await GetStringAsync(owner.Client, "/admin/bookings"));
        Assert.Contains("Prices are in CHF, the base currency of the currency settings.", policyPage);

        // Without the Currencies feature Bookings keeps its own policy currency.
        await ChangeFeaturesAsync(tenant.Name, [], [CurrenciesFeature.Id]);
        Assert.Equal("EUR", await In(tenant, async sp => (await sp.GetRequiredService<IBookingCatalog>().GetPolicyAsync()).Currency));
        Assert.Null(await In(tenant, sp => Task.FromResult(sp.GetService<IDisplayPrices>())));
    }

    [Fact]
    public async Task Settings_rates_and_manual_rates_are_per_tenant()
    {
        Factory.Feed.ServeSample();
        var a = await TenantAsync();
        var b = await TenantAsync();
        await SettingsAsync(a, "EUR", "USD");
        await In(a, async sp => { await sp.GetRequiredService<CurrencyStore>().SetManualRateAsync("USD", 2m, Owner); return 0; });
        await RefreshAsync(a);

        Assert.Null((await In(b, sp => sp.GetRequiredService<CurrencyStore>().GetSettingsAsync())).BaseCurrency);
        Assert.Empty(await In(b, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync()));
        await SettingsAsync(b, "USD", "EUR");
        Assert.Equal("EUR", (await In(a, sp => sp.GetRequiredService<CurrencyStore>().GetSettingsAsync())).BaseCurrency);
        Assert.Equal(2m, (await In(a, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync()))["USD"].Rate);

        // B's page shows B's settings only; A's manual rate is not there.
        var ownerB = await Factory.AsAsync(b);
        var pageB = WebUtility.HtmlDecode(await GetStringAsync(ownerB.Client, "/admin/currencies"));
        Assert.DoesNotContain("Manual (set", pageB);
        Assert.Contains("<option value=\"USD\" selected=\"selected\">", pageB);
        // A's owner session is refused by B.
        var userA = await Factory.CreateUserAsync(a.Name, [StudioRoles.Owner]);
        var crossedClient = Factory.ClientWithCookie(b.Host, await Factory.SessionCookieAsync(a.Name, userA));
        using var crossed = await crossedClient.GetAsync("/admin/currencies");
        Assert.NotEqual(HttpStatusCode.OK, crossed.StatusCode);
    }

    [Fact]
    public async Task The_platform_operator_sets_a_tenants_manual_rate_through_the_management_api()
    {
        var record = await RecordAsync("Default");
        if (!record.Features.Contains("Studio.Api") || !record.Features.Contains("Studio.Audit"))
            await ChangeFeaturesAsync("Default", ["Studio.Api", "Studio.Audit"], []);
        var key = (await Factory.InTenantAsync("Default", sp => sp.GetRequiredService<Studio.Modules.Api.Services.ApiKeyStore>()
            .CreateAsync("currencies " + Guid.NewGuid().ToString("N")[..6], null, "tests"))).Key;
        var api = Factory.ClientFor("localhost", handleCookies: false);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

        var tenant = await TenantAsync();
        var other = await TenantAsync();
        await SettingsAsync(tenant, "EUR", "USD", "GBP");
        await SettingsAsync(other, "EUR", "USD");

        using (var put = await api.PutAsync($"api/v1/tenants/{tenant.Name}/currencies/manual-rates/usd", Json("""{ "rate": 1.0825 }""")))
        {
            var body = await put.Content.ReadAsStringAsync();
            Assert.True(put.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains("\"rate\":\"1.0825\"", body);
        }
        using (var put = await api.PutAsync($"api/v1/tenants/{tenant.Name}/currencies/manual-rates/GBP", Json("""{ "rate": "0.8512" }""")))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var manual = await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync());
        Assert.Equal(1.0825m, manual["USD"].Rate);
        Assert.Equal(0.8512m, manual["GBP"].Rate);
        Assert.Empty(await In(other, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync())); // only that tenant

        var read = System.Text.Json.JsonDocument.Parse(await GetStringAsync(api, $"api/v1/tenants/{tenant.Name}/currencies")).RootElement;
        Assert.Equal("EUR", read.GetProperty("baseCurrency").GetString());
        Assert.Equal(2, read.GetProperty("manualRates").GetArrayLength());

        // Bad input: a problem with the module's message, nothing written.
        foreach (var (currency, json, message) in new[]
        {
            ("USD", """{ "rate": -2 }""", "A rate must be a positive number"),
            ("USD", """{ "rate": "abc" }""", "Give the rate as a decimal number, e.g. 1.0825."),
            ("USD", """{ }""", "Give the rate as a decimal number, e.g. 1.0825."),
            ("EUR", """{ "rate": 1 }""", "Manual rates are for the supported currencies other than the base currency (EUR)."),
        })
        {
            using var refused = await api.PutAsync($"api/v1/tenants/{tenant.Name}/currencies/manual-rates/{currency}", Json(json));
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True((int)refused.StatusCode is 400 or 422, $"{(int)refused.StatusCode}: {body}");
            Assert.Contains(message, body);
        }
        Assert.Equal(1.0825m, (await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync()))["USD"].Rate);

        using (var removed = await api.DeleteAsync($"api/v1/tenants/{tenant.Name}/currencies/manual-rates/USD"))
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using (var again = await api.DeleteAsync($"api/v1/tenants/{tenant.Name}/currencies/manual-rates/USD"))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.False((await In(tenant, sp => sp.GetRequiredService<CurrencyStore>().GetManualRatesAsync())).ContainsKey("USD"));

        // A tenant without the feature, and no key at all.
        var plain = await CreateTenantAsync([]);
        using (var none = await api.GetAsync($"api/v1/tenants/{plain.Name}/currencies"))
            Assert.True((int)none.StatusCode is 403 or 404, $"{(int)none.StatusCode}");
        using (var anonymous = await Factory.ClientFor("localhost", handleCookies: false).GetAsync($"api/v1/tenants/{tenant.Name}/currencies"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
