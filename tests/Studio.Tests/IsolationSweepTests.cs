using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Api.Services;
using Studio.Modules.Bookings.Data;
using Studio.Modules.Bookings.Services.Catalog;
using Studio.Modules.Bookings.Services.Clients;
using Studio.Modules.Bookings.Services.Engine;
using Studio.Modules.Hello.Services;
using Studio.Modules.Sso.Data;
using Studio.Modules.Sso.Services.Providers;
using Studio.Platform;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Sso;
using Xunit.Abstractions;

namespace Studio.Tests;

/// <summary>
/// Per-tenant data isolation through every route: tenant A's data, planted through each module's own services with
/// unique markers, never shows in any answer of tenant B — for every GET endpoint the host knows (Razor Pages and
/// minimal APIs, /api/v1 included), with route values filled with A's own ids, asked anonymously and signed in as B's
/// owner and admin. The same sweep on A finds the markers, so the check is not vacuous. On the Default tenant, the
/// platform routes that take a tenant name show A to an operator and nothing of A to a reseller who does not own it.
/// </summary>
public sealed partial class IsolationSweepTests(StudioFactory factory, ITestOutputHelper output) : StudioTest<StudioFactory>(factory)
{
    private static readonly PlatformActor Operator = new("op-sweep", "Sweep Operator");
    private static readonly AuditActor Staff = new("staff-sweep", "Sweep Staff");

    /// <summary>Every feature a studio tenant can have (not the Default tenant's platform features).</summary>
    private static readonly string[] StudioFeatures =
    [
        "Studio.Hello", "Studio.Audit", "Studio.Bookings", "Studio.Currencies", "Studio.Domains", "Studio.Email",
        "Studio.TwoFactor", "Studio.Sso", "Studio.Sso.Saml", "Studio.Sso.Oidc",
    ];

    /// <summary>A's data: the markers planted (what → marker) and the ids route values are filled with.</summary>
    private sealed record Planted(TestTenant Tenant, Dictionary<string, string> Markers, Dictionary<string, string> Ids);

    /// <summary>One answer of a sweep.</summary>
    private sealed record Answer(string Who, string Url, HttpStatusCode Status, string Body);

    [Fact]
    public async Task Tenant_A_data_is_unreachable_from_tenant_B_through_every_GET_route()
    {
        var a = await PlantAsync();
        // B has the same kinds of data, with markers of its own: asked with A's ids it finds its own rows (the ids
        // of both start alike), so the routes below really read B's data, and A's must never come with it.
        var plantedB = await PlantAsync();
        var b = plantedB.Tenant;
        // Every feature a studio can have is on both, so no route of B is a 404 just for a missing feature.
        var features = Factory.Get<Studio.Host.Modules.FeatureCatalog>().OrderedFeatures
            .Where(f => !f.DefaultTenantOnly && !f.AlwaysEnabled && !IsTestFeature(f.Id)).Select(f => f.Id).ToList();
        Assert.Empty(features.Except(StudioFeatures));
        Assert.Empty(features.Except((await RecordAsync(b.Name)).Features));

        var routes = Routes(a);
        output.WriteLine($"{routes.Count} GET routes swept ({RouteTemplates().Count} route templates), each as anonymous, owner and admin, on B and on A.");
        Assert.True(routes.Count >= 60, $"only {routes.Count} routes found");

        var onB = await SweepAsync(b, routes);
        var onA = await SweepAsync(a.Tenant, routes);

        // Nothing of A on B, whoever asks, and no server error.
        Assert.Empty(ServerErrors(onB));
        var leaks = Leaks(onB, a.Markers);
        Assert.True(leaks.Count == 0, "A's data reached B:\n" + string.Join("\n", leaks));
        var reverse = Leaks(onA, plantedB.Markers);
        Assert.True(reverse.Count == 0, "B's data reached A:\n" + string.Join("\n", reverse));
        Assert.Contains(onB, r => r.Who == "owner" && r.Url == $"/admin/bookings/rooms/{a.Ids["room"]}" && Shows(r, plantedB.Markers["room"]));

        // The same sweep on A finds A's data (each marker on at least one route): the check above can fail.
        Assert.Empty(ServerErrors(onA));
        var found = a.Markers.Where(m => onA.Any(r => Shows(r, m.Value))).Select(m => m.Key).ToHashSet();
        output.WriteLine($"On A, {found.Count} of {a.Markers.Count} of its markers found and none of B's; on B, none of A's in {onB.Count} answers "
            + $"and {plantedB.Markers.Count(m => onB.Any(r => Shows(r, m.Value)))} of its own.");
        Assert.Empty(a.Markers.Keys.Except(found));
        // And B's own answers are real pages, not a wall of 404s: its signed-in owner reaches its admin pages.
        Assert.True(onB.Count(r => r.Who == "owner" && r.Status == HttpStatusCode.OK) >= 30,
            "B's owner got few pages: " + string.Join(", ", onB.Where(r => r.Who == "owner" && r.Status == HttpStatusCode.OK).Select(r => r.Url)));
    }

    [Fact]
    public async Task On_the_platform_routes_that_take_a_tenant_name_a_reseller_sees_nothing_of_a_tenant_it_does_not_own()
    {
        var a = await PlantAsync();
        var reseller = await Factory.Get<IResellerDirectory>().SaveAsync(Operator,
            new ResellerInfo { Id = NewName("r"), Name = "Sweep Reseller", TenantQuota = 5, Plans = ["studio"] }, null);
        var email = $"reseller-{Guid.NewGuid():N}@example.test";
        Assert.Null(await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<IResellerAccounts>().CreateAsync(email, "Res", reseller.Id, TestAccounts.Password)));
        var resellerUser = await Factory.InTenantAsync(TenantContext.DefaultName, async sp =>
            await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StudioUser>>().FindByEmailAsync(email));
        var operatorUser = await Factory.CreateUserAsync(TenantContext.DefaultName, [StudioRoles.Operator]);
        var (resellerKey, operatorKey) = await Factory.InTenantAsync(TenantContext.DefaultName, async sp =>
        {
            var keys = sp.GetRequiredService<ApiKeyStore>();
            return ((await keys.CreateAsync("sweep reseller", reseller.Id, "tests")).Key, (await keys.CreateAsync("sweep operator", null, "tests")).Key);
        });

        // The routes naming a tenant: operator pages, the reseller area, the management API.
        var routes = Routes(a).Where(r => r.Template.Contains("{name}", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{routes.Count} platform routes taking a tenant name swept on Default, as a reseller and as an operator (session and API key).");
        Assert.Contains(routes, r => r.Template.StartsWith("/reseller/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Template.StartsWith("/admin/tenants/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Template.StartsWith("/api/v1/", StringComparison.Ordinal));

        var asReseller = await SweepAsync(routes, [
            ("reseller", Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, resellerUser!))),
            ("reseller key", KeyClient(resellerKey))]);
        var asOperator = await SweepAsync(routes, [
            ("operator", Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, operatorUser))),
            ("operator key", KeyClient(operatorKey))]);

        Assert.Empty(ServerErrors(asReseller));
        Assert.Empty(ServerErrors(asOperator));
        var leaks = Leaks(asReseller, a.Markers);
        Assert.True(leaks.Count == 0, "A's data reached a reseller who does not own it:\n" + string.Join("\n", leaks));
        // The operator does see A there (its name, brand), through pages and through the API.
        Assert.Contains(asOperator, r => r.Who == "operator" && Shows(r, a.Markers["tenant display name"]));
        Assert.Contains(asOperator, r => r.Who == "operator key" && Shows(r, a.Markers["tenant display name"]));
    }

    private HttpClient KeyClient(string key)
    {
        var client = Factory.ClientFor("localhost", handleCookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// Tenant A with every studio feature and a unique marker in each kind of data, each written through its
    /// module's own service in A's container (or A's settings through the host's tenant service).
    /// </summary>
    private async Task<Planted> PlantAsync()
    {
        string Marker() => "mk" + Guid.NewGuid().ToString("N")[..20];
        var markers = new Dictionary<string, string>
        {
            ["tenant display name"] = Marker(), ["brand name"] = Marker(), ["brand css"] = Marker(), ["hello headline"] = Marker(),
            ["greeting"] = Marker(), ["room"] = Marker(), ["service"] = Marker(), ["equipment"] = Marker(), ["musician"] = Marker(),
            ["engineer"] = Marker(), ["client name"] = Marker(), ["client email"] = Marker(),
            ["block title"] = Marker(), ["staff name"] = Marker(), ["staff email"] = Marker(), ["sso label"] = Marker(),
            ["audit target"] = Marker(), ["domain"] = Marker(),
        };
        // Files are told by their content: the digest of A's image bytes, which a sweep answer carries (see SweepAsync).
        var (logo, photo) = (RandomPng(), RandomPng());
        markers["logo file"] = Digest(logo);
        markers["room photo file"] = Digest(photo);
        var tenant = await CreateTenantAsync(StudioFeatures, r => r with
        {
            DisplayName = markers["tenant display name"],
            Brand = new BrandSettings { DisplayName = markers["brand name"], CustomCss = $".{markers["brand css"]} {{ color: #123456; }}" },
        });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with
        {
            SettingsJson = SettingsJson(markers["hello headline"]),
        });
        var ids = new Dictionary<string, string> { ["tenant"] = tenant.Name, ["sso"] = "corp", ["domain"] = markers["domain"] + ".example.test" };
        var logoUrl = await Factory.Get<ITenantBrandMedia>().StoreAsync(Operator, tenant.Name, Studio.Media.MediaKind.Logo, logo);
        ids["brand file"] = logoUrl[(logoUrl.LastIndexOf('/') + 1)..];

        var staff = await Factory.CreateUserAsync(tenant.Name, [StudioRoles.Engineer], email: markers["staff email"] + "@example.test", displayName: markers["staff name"]);
        using var idp = new TestSamlIdp();
        await Factory.InTenantAsync(tenant.Name, async sp =>
        {
            await sp.GetRequiredService<GreetingStore>().AddAsync("Ann", markers["greeting"], CancellationToken.None);

            var catalog = sp.GetRequiredService<IBookingCatalog>();
            await catalog.SavePolicyAsync(new BookingPolicy { MinNoticeMinutes = 60, MaxAdvanceDays = 400, SlotStepMinutes = 30, HoldMinutes = 15 }, Staff);
            var room = await catalog.SaveRoomAsync(new Room
            {
                Name = markers["room"], Kind = RoomKinds.Recording, Description = "Live room", Capacity = 5, HourlyRate = 50m, HalfDayRate = 180m, FullDayRate = 320m,
            }, Staff);
            var roomPhoto = await sp.GetRequiredService<RoomPhotoStore>().AddAsync(room.Id, photo, Staff);
            ids["room photo"] = RoomPhotoStore.UrlOf(roomPhoto)[(RoomPhotoStore.UrlOf(roomPhoto).LastIndexOf('/') + 1)..];
            await catalog.SetOpeningHoursAsync(room.Id, Enum.GetValues<DayOfWeek>().Select(d => new OpeningHours(d, 8 * 60, 20 * 60)).ToList(), Staff);
            var service = await catalog.SaveServiceAsync(new StudioService
            {
                Name = markers["service"], Description = "Tracking", DurationKind = DurationKinds.Hourly, DurationMinutes = 60, MinUnits = 1, MaxUnits = 8,
                PriceKind = PriceKinds.RoomRate, Price = 0m, DepositPercent = 30, FreeCancelHours = 48, CancelFeePercent = 50, RequiresRoom = true, Public = true,
            }, Staff);
            var equipment = await catalog.SaveResourceAsync(new BookableResource { Name = markers["equipment"], Category = "other", Quantity = 1 }, Staff);
            var musician = await catalog.SaveMusicianAsync(new Musician(0, markers["musician"], "bass", null, 40m, false), Staff);
            var engineer = await catalog.SaveEngineerAsync(new Engineer { UserId = staff.Id, DisplayName = markers["engineer"], HourlyRate = 30m }, Staff);
            var client = await sp.GetRequiredService<IClientDirectory>().SaveAsync(new Client
            {
                Kind = "person", Name = markers["client name"], Email = markers["client email"] + "@example.org",
            }, Staff);

            // Days ahead at 10:00 UTC (the tenant's zone): inside opening hours and the policy's window, whenever the test runs.
            var day = DateTime.UtcNow.Date.AddDays(3).AddHours(10);
            var engine = sp.GetRequiredService<IBookingEngine>();
            var booking = await engine.BookAsync(new BookingRequest
            {
                ServiceId = service.Id, StartUtc = day, Units = 2, RoomId = room.Id, ClientId = client.Id,
            }, Staff);
            await engine.BlockAsync(new BlockRequest(day.AddDays(1), day.AddDays(1).AddHours(2), markers["block title"], RoomId: room.Id), Staff);

            await sp.GetRequiredService<ISsoProviderStore>().SaveAsync(new SsoProvider
            {
                Id = ids["sso"], Protocol = SsoProtocols.Saml, Label = markers["sso label"], Enabled = true,
                Saml = new SamlProviderSettings { IdpEntityId = idp.EntityId, SsoUrl = idp.SsoUrl, SigningCertificates = [idp.CertificatePem] },
            }, null, Staff);
            await sp.GetRequiredService<IAuditTrail>().RecordAsync(new AuditRecord(Staff, "sweep.marker", markers["audit target"]));
            await sp.GetRequiredService<ITenantDomains>().RequestAsync(ids["domain"]);

            (ids["room"], ids["service"], ids["equipment"], ids["musician"], ids["engineer"], ids["client"], ids["booking"]) =
                (Id(room.Id), Id(service.Id), Id(equipment.Id), Id(musician.Id), Id(engineer.Id), Id(client.Id), Id(booking.Id));
            return 0;
        });
        return new Planted(tenant, markers, ids);
    }

    /// <summary>A tenant's settings: the guest book's headline, and mail to a pickup folder (the booking's confirmation is sent).</summary>
    private static string SettingsJson(string headline) => System.Text.Json.JsonSerializer.Serialize(new
    {
        Hello = new { Headline = headline },
        Email = new { FromAddress = "studio@example.test", Providers = new[] { new { Kind = "Pickup", Directory = "outgoing" } } },
    });

    private static byte[] RandomPng()
    {
        var color = Guid.NewGuid().ToByteArray();
        return TestImages.Png(24, 16, color[0], color[1], color[2]);
    }

    private static string Digest(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA384.HashData(bytes));

    /// <summary>The test project's own probe features: never enabled on these tenants, and some of their routes wait.</summary>
    private static bool IsTestFeature(string id) => id.StartsWith("Tests.", StringComparison.Ordinal);

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A route to request: its template and the URL with A's values in it.</summary>
    private sealed record Route(string Template, string Url);

    /// <summary>The distinct templates of every endpoint that answers GET (Razor Pages answer any method).</summary>
    private List<string> RouteTemplates() =>
        Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not { } methods
                || methods.HttpMethods.Contains("GET", StringComparer.OrdinalIgnoreCase))
            .Where(e => !e.Metadata.GetOrderedMetadata<Studio.Modules.FeatureEndpointMetadata>().Any(f => IsTestFeature(f.FeatureId)))
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every GET template with its parameters filled with A's values: the ids of A's rows (by the kind of thing
    /// the route is about), A's tenant name, its SSO provider and domain. A parameter no rule knows fails the test,
    /// so that a new route cannot slip past the sweep unfilled.
    /// </summary>
    private List<Route> Routes(Planted a)
    {
        var unknown = new List<string>();
        var routes = new List<Route>();
        foreach (var template in RouteTemplates())
        {
            var url = ParameterRegex().Replace(template, match =>
            {
                var name = match.Groups["name"].Value;
                var value = ValueFor(template, name, a.Ids);
                if (value is null)
                    unknown.Add($"{template}: {{{name}}}");
                return value ?? "";
            });
            routes.Add(new Route(template, url));
        }
        Assert.True(unknown.Count == 0, "Route parameters the sweep cannot fill (add a rule): " + string.Join(", ", unknown));
        return routes;
    }

    private static string? ValueFor(string template, string parameter, Dictionary<string, string> ids)
    {
        bool About(string word) => template.Contains(word, StringComparison.Ordinal);
        return parameter switch
        {
            "name" => ids["tenant"],
            "serviceId" => ids["service"],
            "protocol" => SsoProtocols.Saml,
            "host" => ids["domain"],
            "roomId" => ids["room"],
            "file" when About("/media/brand/") => ids["brand file"],
            "file" when About("/media/rooms/") => ids["room photo"],
            "id" when About("/sso/") || About("/providers/") => ids["sso"],
            "id" when About("/rooms/") => ids["room"],
            "id" when About("/equipment/") => ids["equipment"],
            "id" when About("/musicians/") => ids["musician"],
            "id" when About("/engineers/") => ids["engineer"],
            "id" when About("/services/") => ids["service"],
            "id" when About("/clients/") => ids["client"],
            "id" when About("/bookings/") || About("/hold/") => ids["booking"],
            "id" when About("/plans") => "studio",
            _ => null,
        };
    }

    /// <summary>Sweeps a studio tenant: anonymous, a new owner and a new admin of that tenant.</summary>
    private async Task<List<Answer>> SweepAsync(TestTenant tenant, List<Route> routes) =>
        await SweepAsync(routes, [
            ("anonymous", Factory.ClientFor(tenant.Host)),
            ("owner", await Factory.ClientAsAsync(tenant, StudioRoles.Owner)),
            ("admin", await Factory.ClientAsAsync(tenant, StudioRoles.Admin))]);

    private static async Task<List<Answer>> SweepAsync(List<Route> routes, (string Who, HttpClient Client)[] clients)
    {
        var answers = new List<Answer>();
        foreach (var (who, client) in clients)
            // Signing out last, so that the session is there for every other route.
            foreach (var route in routes.OrderBy(r => r.Template.Contains("sign-out", StringComparison.Ordinal)))
            {
                using var response = await client.GetAsync(route.Url.TrimStart('/'));
                var bytes = await response.Content.ReadAsByteArrayAsync();
                answers.Add(new Answer(who, route.Url, response.StatusCode,
                    $"{Encoding.UTF8.GetString(bytes)}\n{Headers(response)}\ncontent-sha384: {Digest(bytes)}"));
            }
        return answers;
    }

    /// <summary>Headers can leak too (a Location, a file name): they are checked with the body.</summary>
    private static string Headers(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));

    /// <summary>Whether an answer shows a marker — not counting one the request itself carried in its URL.</summary>
    private static bool Shows(Answer answer, string marker) =>
        !answer.Url.Contains(marker, StringComparison.Ordinal) && answer.Body.Contains(marker, StringComparison.Ordinal);

    private static List<string> Leaks(IEnumerable<Answer> answers, Dictionary<string, string> markers) =>
        answers.SelectMany(r => markers.Where(m => Shows(r, m.Value)).Select(m => $"{r.Who} GET {r.Url} ({(int)r.Status}) shows A's {m.Key}")).ToList();

    private static List<string> ServerErrors(List<Answer> answers) =>
        answers.Where(r => (int)r.Status >= 500).Select(r => $"{r.Who} GET {r.Url}: {(int)r.Status} {Truncate(r.Body)}").ToList();

    [GeneratedRegex(@"\{\**(?<name>[A-Za-z]+)(:[^}]*)?\??\}")]
    private static partial Regex ParameterRegex();
}
