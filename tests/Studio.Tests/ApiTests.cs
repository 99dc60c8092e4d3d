using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Identity;
using Studio.Modules.Api.Services;
using Studio.Platform;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The management API (/api/v1 on the Default tenant): keys, authentication, confinement, problems, idempotency, OpenAPI.</summary>
public sealed partial class ApiTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly PlatformActor Operator = new("op-api", "Api Test Operator");

    private ITenantAdministration Admin => Factory.Get<ITenantAdministration>();

    /// <summary>The API (and the audit trail, to check what it records) on the Default tenant.</summary>
    private async Task EnableApiAsync()
    {
        var record = await RecordAsync("Default");
        if (!record.Features.Contains("Studio.Api") || !record.Features.Contains("Studio.Audit"))
            await ChangeFeaturesAsync("Default", ["Studio.Api", "Studio.Audit"], []);
    }

    private async Task<string> NewKeyAsync(string? reseller = null)
    {
        await EnableApiAsync();
        var created = await Factory.InTenantAsync("Default", sp => sp.GetRequiredService<ApiKeyStore>().CreateAsync("test " + Guid.NewGuid().ToString("N")[..6], reseller, "tests"));
        return created.Key;
    }

    private HttpClient Client(string? key)
    {
        var client = Factory.ClientFor("localhost", handleCookies: false);
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {Truncate(body)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {Truncate(body)}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<List<Dictionary<string, object?>>> RowsAsync(string sql, object? args = null) =>
        Factory.InTenantAsync("Default", async sp =>
        {
            await using var connection = await sp.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            return (await connection.QueryAsync(sql, args)).Select(r => ((IDictionary<string, object?>)r).ToDictionary(k => k.Key, k => k.Value)).ToList();
        });

    private async Task<ResellerInfo> NewResellerAsync() =>
        await Factory.Get<IResellerDirectory>().SaveAsync(Operator, new ResellerInfo { Id = NewName("r"), Name = "Reseller", TenantQuota = 5, Plans = ["studio"] }, null);

    private Task<TenantInfo> NewTenantAsync(string? reseller = null, string? name = null)
    {
        name ??= NewName();
        return Admin.CreateAsync(Operator, new TenantDraft { Name = name, Hosts = [$"{name}.test"], Reseller = reseller, Plan = reseller is null ? null : "studio" });
    }

    [Fact]
    public async Task A_key_is_created_on_the_operator_page_shown_once_stored_hashed_marked_used_and_revoked_at_once()
    {
        await EnableApiAsync();
        var op = await Factory.CreateUserAsync("Default", [StudioRoles.Operator]);
        var browser = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync("Default", op));
        var page = await GetStringAsync(browser, "admin/api-keys");
        var name = "ci " + Guid.NewGuid().ToString("N")[..8];
        using var created = await browser.PostAsync("admin/api-keys?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = name, ["Reseller"] = "", ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var key = KeyRegex().Match(html).Value;
        Assert.False(string.IsNullOrEmpty(key), "the new key is shown: " + Truncate(html));

        // Never again: the list shows the prefix only.
        var again = await GetStringAsync(browser, "admin/api-keys");
        Assert.DoesNotContain(key, again);
        Assert.Contains(key[..16], again);

        // Stored hashed: no column of the row holds the key or its secret.
        var row = (await RowsAsync("SELECT * FROM api_keys WHERE name = @name", new { name })).Single();
        var secret = key[17..];
        Assert.DoesNotContain(row.Values, v => v is string s && (s.Contains(key, StringComparison.Ordinal) || s.Contains(secret, StringComparison.Ordinal)));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), row["hash"]);
        Assert.Null(row["last_used_ms"]);

        // It works (and the cookie alone would not), and its use is recorded.
        using (var ok = await Client(key).GetAsync("api/v1/tenants"))
            await OkJsonAsync(ok);
        Assert.NotNull((await RowsAsync("SELECT last_used_ms FROM api_keys WHERE name = @name", new { name })).Single()["last_used_ms"]);
        using (var xApiKey = new HttpRequestMessage(HttpMethod.Get, "api/v1/plans"))
        {
            xApiKey.Headers.Add("X-Api-Key", key);
            using var response = await Client(null).SendAsync(xApiKey);
            await OkJsonAsync(response);
        }

        // Revoked on the page: the next request is refused.
        var id = (string)row["id"]!;
        page = await GetStringAsync(browser, "admin/api-keys");
        using var revoke = await browser.PostAsync("admin/api-keys?handler=Revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["KeyId"] = id, ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        using (var refused = await Client(key).GetAsync("api/v1/tenants"))
            await ProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.NotNull((await RowsAsync("SELECT revoked_ms FROM api_keys WHERE id = @id", new { id })).Single()["revoked_ms"]);

        var audited = (await RowsAsync("SELECT action FROM audit_entries WHERE target = @target ORDER BY id", new { target = "apikey:" + id })).Select(r => (string)r["action"]!).ToList();
        Assert.Equal(["api.key.created", "api.key.revoked"], audited);
    }

    [Fact]
    public async Task The_keys_page_is_for_operators_and_a_reseller_key_names_a_known_reseller()
    {
        await EnableApiAsync();
        var reseller = await Factory.CreateUserAsync("Default", [StudioRoles.Reseller]);
        var resellerBrowser = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync("Default", reseller));
        using (var denied = await resellerBrowser.GetAsync("admin/api-keys"))
            Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);

        var op = await Factory.CreateUserAsync("Default", [StudioRoles.Operator]);
        var browser = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync("Default", op));
        var page = await GetStringAsync(browser, "admin/api-keys");
        using var refused = await browser.PostAsync("admin/api-keys?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "nobody's", ["Reseller"] = NewName("r"), ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("There is no reseller", html);
        Assert.DoesNotMatch(KeyRegex(), html);
    }

    [Fact]
    public async Task Without_a_valid_key_the_api_answers_401_even_with_an_operator_session()
    {
        var key = await NewKeyAsync();
        using (var none = await Client(null).GetAsync("api/v1/tenants"))
            await ProblemAsync(none, HttpStatusCode.Unauthorized);
        using (var forged = await Client(key[..^4] + "AAAA").GetAsync("api/v1/tenants"))
            await ProblemAsync(forged, HttpStatusCode.Unauthorized);
        using (var garbage = await Client("not-a-key").GetAsync("api/v1/tenants"))
            await ProblemAsync(garbage, HttpStatusCode.Unauthorized);

        var op = await Factory.CreateUserAsync("Default", [StudioRoles.Operator]);
        var browser = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync("Default", op));
        using (var cookieOnly = await browser.GetAsync("api/v1/tenants"))
            await ProblemAsync(cookieOnly, HttpStatusCode.Unauthorized);
        using (var cookiePost = await browser.PostAsync("api/v1/tenants", Json(new { name = NewName() })))
            await ProblemAsync(cookiePost, HttpStatusCode.Unauthorized);

        // Only on the Default tenant: elsewhere the API does not exist.
        var studio = await CreateTenantAsync();
        var elsewhere = Factory.ClientFor(studio.Host);
        elsewhere.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var notHere = await elsewhere.GetAsync("api/v1/tenants");
        Assert.Equal(HttpStatusCode.NotFound, notHere.StatusCode);
    }

    [Fact]
    public async Task A_reseller_key_sees_only_its_tenants_and_another_resellers_tenant_is_not_found()
    {
        var r1 = await NewResellerAsync();
        var r2 = await NewResellerAsync();
        var mine = await NewTenantAsync(r1.Id);
        var theirs = await NewTenantAsync(r2.Id);
        var platforms = await NewTenantAsync();
        var resellerKey = await NewKeyAsync(r1.Id);
        var platformKey = await NewKeyAsync();
        var client = Client(resellerKey);

        var list = await OkJsonAsync(await client.GetAsync("api/v1/tenants?pageSize=200"));
        var names = list.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal([mine.Name], names);
        var filtered = await OkJsonAsync(await client.GetAsync($"api/v1/tenants?reseller={r2.Id}"));
        Assert.All(filtered.GetProperty("items").EnumerateArray(), t => Assert.Equal(r1.Id, t.GetProperty("reseller").GetString()));
        await OkJsonAsync(await client.GetAsync($"api/v1/tenants/{mine.Name}"));

        var missing = NewName();
        foreach (var name in new[] { theirs.Name, platforms.Name, missing })
        {
            var notFound = await ProblemAsync(await client.GetAsync($"api/v1/tenants/{name}"), HttpStatusCode.NotFound);
            Assert.Equal("No such tenant.", notFound.GetProperty("detail").GetString());
            using var patch = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/tenants/{name}") { Content = Json(new { displayName = "taken" }) };
            patch.Headers.IfMatch.Add(new EntityTagHeaderValue("\"x\""));
            await ProblemAsync(await client.SendAsync(patch), HttpStatusCode.NotFound);
            await ProblemAsync(await client.DeleteAsync($"api/v1/tenants/{name}?confirm={name}"), HttpStatusCode.NotFound);
            await ProblemAsync(await client.GetAsync($"api/v1/tenants/{name}/features"), HttpStatusCode.NotFound);
            await ProblemAsync(await client.PostAsync($"api/v1/tenants/{name}/disable", null), HttpStatusCode.NotFound);
            await ProblemAsync(await client.GetAsync($"api/v1/tenants/{name}/domains"), HttpStatusCode.NotFound);
            await ProblemAsync(await client.GetAsync($"api/v1/tenants/{name}/export"), HttpStatusCode.NotFound);
        }
        Assert.Equal(Studio.Tenancy.TenantState.Running, (await Admin.GetAsync(theirs.Name))!.State);
        Assert.NotEqual("taken", (await Admin.GetAsync(theirs.Name))!.DisplayName);

        // Platform-only writes are refused; the platform key reaches everything.
        await ProblemAsync(await client.PutAsync("api/v1/plans/studio", Json(new { id = "studio", name = "Mine now" })), HttpStatusCode.Forbidden);
        var platform = Client(platformKey);
        foreach (var name in new[] { mine.Name, theirs.Name, platforms.Name })
            await OkJsonAsync(await platform.GetAsync($"api/v1/tenants/{name}"));
        await OkJsonAsync(await platform.GetAsync($"api/v1/tenants/{theirs.Name}/features"));
        await OkJsonAsync(await platform.GetAsync($"api/v1/tenants/{theirs.Name}/domains"));
        await OkJsonAsync(await client.GetAsync($"api/v1/tenants/{mine.Name}/features"));
        var all = await OkJsonAsync(await platform.GetAsync($"api/v1/tenants?reseller={r2.Id}"));
        Assert.Equal([theirs.Name], all.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Errors_are_problem_details_validation_not_found_conflict_precondition_and_malformed_json()
    {
        var client = Client(await NewKeyAsync());

        var invalid = await ProblemAsync(await client.PostAsync("api/v1/tenants", Json(new { name = "Not A Valid Name!" })), HttpStatusCode.BadRequest);
        Assert.Contains(invalid.GetProperty("errors").EnumerateObject(), e => e.Value.GetArrayLength() > 0);

        var malformed = new StringContent("{\"name\": ", Encoding.UTF8, "application/json");
        await ProblemAsync(await client.PostAsync("api/v1/tenants", malformed), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.PostAsync("api/v1/tenants", new StringContent("[1,2]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.GetAsync("api/v1/tenants?state=sleeping"), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.GetAsync("api/v1/tenants?page=0"), HttpStatusCode.BadRequest);

        await ProblemAsync(await client.GetAsync($"api/v1/tenants/{NewName()}"), HttpStatusCode.NotFound);

        var tenant = await NewTenantAsync();
        using var get = await client.GetAsync($"api/v1/tenants/{tenant.Name}");
        var etag = get.Headers.ETag!;
        await OkJsonAsync(get);

        using var noVersion = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/tenants/{tenant.Name}") { Content = Json(new { displayName = "A" }) };
        await ProblemAsync(await client.SendAsync(noVersion), (HttpStatusCode)428);

        using var first = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/tenants/{tenant.Name}") { Content = Json(new { displayName = "First" }) };
        first.Headers.IfMatch.Add(etag);
        var updated = await OkJsonAsync(await client.SendAsync(first));
        Assert.Equal("First", updated.GetProperty("displayName").GetString());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"api/v1/tenants/{tenant.Name}") { Content = Json(new { displayName = "Stale" }) };
        stale.Headers.IfMatch.Add(etag);
        await ProblemAsync(await client.SendAsync(stale), HttpStatusCode.Conflict);
        Assert.Equal("First", (await Admin.GetAsync(tenant.Name))!.DisplayName);

        // The brand is part of the tenant: same version.
        using var brandGet = await client.GetAsync($"api/v1/tenants/{tenant.Name}/brand");
        var brandTag = brandGet.Headers.ETag!;
        await OkJsonAsync(brandGet);
        using var brandPut = new HttpRequestMessage(HttpMethod.Put, $"api/v1/tenants/{tenant.Name}/brand") { Content = Json(new { displayName = "Brand X" }) };
        brandPut.Headers.IfMatch.Add(brandTag);
        var brand = await OkJsonAsync(await client.SendAsync(brandPut));
        Assert.Equal("Brand X", brand.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Last_use_is_written_at_most_once_a_minute_per_key()
    {
        var key = await NewKeyAsync();
        var prefix = key[4..16];
        var client = Client(key);
        await OkJsonAsync(await client.GetAsync("api/v1/plans"));
        var recent = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds();
        await RowsAsync("UPDATE api_keys SET last_used_ms = @recent WHERE prefix = @prefix", new { recent, prefix });
        await OkJsonAsync(await client.GetAsync("api/v1/plans"));
        Assert.Equal(recent, Convert.ToInt64((await RowsAsync("SELECT last_used_ms FROM api_keys WHERE prefix = @prefix", new { prefix })).Single()["last_used_ms"], System.Globalization.CultureInfo.InvariantCulture));

        var old = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds();
        await RowsAsync("UPDATE api_keys SET last_used_ms = @old WHERE prefix = @prefix", new { old, prefix });
        await OkJsonAsync(await client.GetAsync("api/v1/plans"));
        Assert.True(Convert.ToInt64((await RowsAsync("SELECT last_used_ms FROM api_keys WHERE prefix = @prefix", new { prefix })).Single()["last_used_ms"], System.Globalization.CultureInfo.InvariantCulture) > recent);
    }

    [Fact]
    public async Task A_feature_change_that_affects_other_features_is_refused_without_confirmExtra_listing_them_and_applies_with_it()
    {
        var client = Client(await NewKeyAsync());
        var tenant = await NewTenantAsync();
        var before = await RecordAsync(tenant.Name);
        var url = $"api/v1/tenants/{tenant.Name}/features";

        // Bookings needs the audit trail: refused, with the extra feature listed (by id and in the message), nothing saved.
        foreach (var body in new object[] { new { enable = new[] { "Studio.Bookings" } }, new { enable = new[] { "Studio.Bookings" }, confirmExtra = false } })
        {
            using var refused = await client.PostAsync(url, Json(body));
            var problem = await ProblemAsync(refused, HttpStatusCode.BadRequest);
            Assert.Equal(["Studio.Audit"], problem.GetProperty("extraFeatures").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains("Studio.Audit", problem.GetProperty("detail").GetString());
            Assert.Contains("Studio.Audit", problem.GetProperty("errors").GetProperty("request")[0].GetString());
            var after = await RecordAsync(tenant.Name);
            Assert.Equal(before.Version, after.Version);
            Assert.Equal(before.Features, after.Features);
        }

        // Confirmed: applied with the dependency.
        var changed = await OkJsonAsync(await client.PostAsync(url, Json(new { enable = new[] { "Studio.Bookings" }, confirmExtra = true })));
        Assert.Contains("Studio.Bookings", changed.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        var enabled = await RecordAsync(tenant.Name);
        Assert.Contains("Studio.Bookings", enabled.Features);
        Assert.Contains("Studio.Audit", enabled.Features);

        // The other way: disabling the audit trail would take Bookings away — refused and listed too.
        using (var refused = await client.PostAsync(url, Json(new { disable = new[] { "Studio.Audit" } })))
            Assert.Equal(["Studio.Bookings"], (await ProblemAsync(refused, HttpStatusCode.BadRequest)).GetProperty("extraFeatures").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(enabled.Version, (await RecordAsync(tenant.Name)).Version);
        // A plain refusal (an unknown feature) lists no extra features.
        using (var unknown = await client.PostAsync(url, Json(new { enable = new[] { "No.Such.Feature" } })))
            Assert.False((await ProblemAsync(unknown, HttpStatusCode.BadRequest)).TryGetProperty("extraFeatures", out _));
    }

    [Fact]
    public async Task Features_are_previewed_and_changed_and_writes_are_audited_with_the_key()
    {
        var client = Client(await NewKeyAsync());
        var tenant = await NewTenantAsync();
        var preview = await OkJsonAsync(await client.PostAsync($"api/v1/tenants/{tenant.Name}/features/preview", Json(new { enable = new[] { "Studio.Hello" } })));
        Assert.Contains("Studio.Hello", preview.GetProperty("enable").EnumerateArray().Select(e => e.GetString()));
        var changed = await OkJsonAsync(await client.PostAsync($"api/v1/tenants/{tenant.Name}/features", Json(new { enable = new[] { "Studio.Hello" }, confirmExtra = true })));
        Assert.Contains("Studio.Hello", changed.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        await ProblemAsync(await client.PostAsync($"api/v1/tenants/{tenant.Name}/features", Json(new { enable = new[] { "No.Such.Feature" } })), HttpStatusCode.BadRequest);

        var audited = await RowsAsync("SELECT actor_id, after_json FROM audit_entries WHERE action = 'api.request' AND target = @target ORDER BY id",
            new { target = $"/api/v1/tenants/{tenant.Name}/features" });
        Assert.Equal(2, audited.Count);
        Assert.All(audited, r => Assert.StartsWith("apikey:", (string)r["actor_id"]!));
        Assert.Contains("\"status\":200", (string)audited[0]["after_json"]!);
        Assert.Contains("\"status\":400", (string)audited[1]["after_json"]!);
    }

    [Fact]
    public async Task Idempotent_create_does_it_once_replays_the_answer_and_refuses_another_body()
    {
        var client = Client(await NewKeyAsync());
        var name = NewName();
        var idem = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> PostAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tenants") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", idem);
            return await client.SendAsync(request);
        }

        using var first = await PostAsync(new { name, hosts = new[] { $"{name}.test" } });
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, firstBody);
        var version = JsonDocument.Parse(firstBody).RootElement.GetProperty("version").GetString();

        using var retry = await PostAsync(new { name, hosts = new[] { $"{name}.test" } });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(version, (await Admin.GetAsync(name))!.Version);

        await ProblemAsync(await PostAsync(new { name = NewName() }), HttpStatusCode.UnprocessableEntity);

        // The same key on another route is another request too; other POSTs honour the header as well.
        using var elsewhere = new HttpRequestMessage(HttpMethod.Post, $"api/v1/tenants/{name}/features") { Content = Json(new { name, hosts = new[] { $"{name}.test" } }) };
        elsewhere.Headers.Add("Idempotency-Key", idem);
        await ProblemAsync(await client.SendAsync(elsewhere), HttpStatusCode.UnprocessableEntity);
        var change = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> DisableAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/tenants/{name}/disable");
            request.Headers.Add("Idempotency-Key", change);
            return await client.SendAsync(request);
        }
        using var disabled = await DisableAsync();
        var disabledBody = await disabled.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        await Admin.SetEnabledAsync(Operator, name, true);
        using var replayed = await DisableAsync();
        Assert.Equal(disabledBody, await replayed.Content.ReadAsStringAsync());
        Assert.Equal(Studio.Tenancy.TenantState.Running, (await Admin.GetAsync(name))!.State);
    }

    [Fact]
    public async Task Simultaneous_requests_with_one_idempotency_key_create_one_tenant()
    {
        var client = Client(await NewKeyAsync());
        var name = NewName();
        var idem = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(new { name, hosts = new[] { $"{name}.test" } });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/tenants") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", idem);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{r.StatusCode}: {r.Item2}"));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(1, (await Admin.QueryAsync(new TenantQuery { Search = name })).Total);
        // The first creation is audited by the host once; conflicting attempts never reached it.
        var creates = await RowsAsync("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'api.request' AND after_json LIKE '%\"status\":201%' AND target = '/api/v1/tenants' AND created_ms >= @since",
            new { since = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() });
        Assert.True(Convert.ToInt64(creates.Single()["n"], System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task The_openapi_document_is_served_with_the_paths_the_security_scheme_and_problems()
    {
        await EnableApiAsync();
        var doc = await GetJsonAsync(Client(null), "api/v1/openapi.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/tenants", "/api/v1/tenants/{name}", "/api/v1/tenants/{name}/features", "/api/v1/tenants/{name}/brand", "/api/v1/plans", "/api/v1/tenants/{name}/domains" })
            Assert.True(paths.TryGetProperty(path, out _), "missing " + path);
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/admin", StringComparison.Ordinal));
        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("scheme").GetString());
        var get = paths.GetProperty("/api/v1/tenants/{name}").GetProperty("get").GetProperty("responses");
        Assert.True(get.GetProperty("404").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [GeneratedRegex("stk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyRegex();
}
