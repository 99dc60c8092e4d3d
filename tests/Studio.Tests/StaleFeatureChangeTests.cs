using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Features;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Api.Services;
using Studio.Platform;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// A feature change carries the tenant's version the page showed: submitted from an out-of-date page (the tenant
/// changed meanwhile) it is refused with a clear message and nothing is saved, on the owner's, the reseller's and the
/// operator's pages and through the API with If-Match; from a fresh page it applies.
/// </summary>
public sealed partial class StaleFeatureChangeTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private const string Meanwhile = "was changed meanwhile; look at its features again.";
    private static readonly PlatformActor Operator = new("op-stale", "Stale Operator");

    /// <summary>Someone else changes the tenant (its display name): its version moves on.</summary>
    private Task<TenantRecord> ChangeMeanwhileAsync(string tenant) =>
        Factory.Get<TenantService>().UpdateAsync(tenant, null, r => r with { DisplayName = "Changed " + Guid.NewGuid().ToString("N")[..6] });

    private static string VersionIn(string html)
    {
        var match = VersionRegex().Match(html);
        Assert.True(match.Success, "no version field on the page: " + Truncate(html));
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string page, Dictionary<string, string> fields) =>
        client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryToken(page) }));

    [Fact]
    public async Task The_feature_manager_refuses_a_change_over_a_newer_version()
    {
        var manager = Factory.Get<FeatureManager>();
        var tenant = await CreateTenantAsync();
        var old = (await RecordAsync(tenant.Name)).Version;
        var newer = await ChangeMeanwhileAsync(tenant.Name);
        await Assert.ThrowsAsync<TenantConcurrencyException>(() => manager.ChangeAsync(tenant.Name, ["Studio.Hello"], [], false, old));
        Assert.Equal(newer.Version, (await RecordAsync(tenant.Name)).Version);
        Assert.True((await manager.ChangeAsync(tenant.Name, ["Studio.Hello"], [], false, newer.Version)).Succeeded);
        // No expected version: no check (the host's own callers, recipes).
        Assert.True((await manager.ChangeAsync(tenant.Name, [], ["Studio.Hello"], false)).Succeeded);
    }

    [Fact]
    public async Task The_owner_s_toggle_from_an_out_of_date_page_is_refused()
    {
        var tenant = await CreateTenantAsync();
        var owner = await Factory.ClientAsAsync(tenant, StudioRoles.Owner);
        var page = await GetStringAsync(owner, "admin/features");
        var version = VersionIn(page);
        Assert.Equal((await RecordAsync(tenant.Name)).Version, version);
        var newer = await ChangeMeanwhileAsync(tenant.Name);

        using (var stale = await PostAsync(owner, "admin/features", page, new() { ["FeatureId"] = "Studio.Hello", ["Enable"] = "true", ["Version"] = version }))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            var html = await stale.Content.ReadAsStringAsync();
            Assert.Contains(Meanwhile, html);
            Assert.Equal(newer.Version, VersionIn(html)); // the page now shows the current state, ready to try again
        }
        Assert.Equal(newer.Version, (await RecordAsync(tenant.Name)).Version);

        // The confirmation step carries the version it was shown with: a change in between is refused there too.
        var fresh = await GetStringAsync(owner, "admin/features");
        using (var asked = await PostAsync(owner, "admin/features", fresh, new() { ["FeatureId"] = "Studio.Bookings", ["Enable"] = "true", ["Version"] = VersionIn(fresh) }))
        {
            var confirm = await asked.Content.ReadAsStringAsync();
            Assert.Contains("This change affects other features", confirm);
            var confirmVersion = Regex.Match(confirm, "name=\"Confirm\" value=\"true\" />\\s*<input type=\"hidden\" name=\"Version\" value=\"([^\"]*)\"").Groups[1].Value;
            Assert.Equal(newer.Version, confirmVersion);
            var latest = await ChangeMeanwhileAsync(tenant.Name);
            using var stale = await PostAsync(owner, "admin/features", confirm,
                new() { ["FeatureId"] = "Studio.Bookings", ["Enable"] = "true", ["Confirm"] = "true", ["Version"] = confirmVersion });
            Assert.Contains(Meanwhile, await stale.Content.ReadAsStringAsync());
            Assert.Equal(latest.Version, (await RecordAsync(tenant.Name)).Version);
        }

        var current = await GetStringAsync(owner, "admin/features");
        using (var ok = await PostAsync(owner, "admin/features", current, new() { ["FeatureId"] = "Studio.Hello", ["Enable"] = "true", ["Version"] = VersionIn(current) }))
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(tenant.Name)).Features);
    }

    [Fact]
    public async Task The_reseller_s_toggle_from_an_out_of_date_page_is_refused()
    {
        var reseller = await Factory.Get<IResellerDirectory>().SaveAsync(Operator,
            new ResellerInfo { Id = NewName("r"), Name = "Stale Reseller", TenantQuota = 5, Plans = ["pro"] }, null);
        var name = NewName();
        await Factory.Get<ITenantAdministration>().CreateAsync(Operator, new TenantDraft { Name = name, Hosts = [$"{name}.test"], Plan = "pro", Reseller = reseller.Id });
        var email = $"reseller-{Guid.NewGuid():N}@example.test";
        Assert.Null(await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<IResellerAccounts>().CreateAsync(email, "Res", reseller.Id, TestAccounts.Password)));
        var user = await Factory.InTenantAsync(TenantContext.DefaultName, async sp =>
            await sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StudioUser>>().FindByEmailAsync(email));
        var client = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, user!));
        var url = $"reseller/tenants/{name}/features";

        var page = await GetStringAsync(client, url);
        var version = VersionIn(page);
        var newer = await ChangeMeanwhileAsync(name);
        using (var stale = await PostAsync(client, url, page, new() { ["feature"] = "Studio.Hello", ["enable"] = "true", ["version"] = version }))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            Assert.Contains(Meanwhile, await stale.Content.ReadAsStringAsync());
        }
        Assert.Equal(newer.Version, (await RecordAsync(name)).Version);

        var current = await GetStringAsync(client, url);
        using (var ok = await PostAsync(client, url, current, new() { ["feature"] = "Studio.Hello", ["enable"] = "true", ["version"] = VersionIn(current) }))
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(name)).Features);
    }

    [Fact]
    public async Task The_operator_s_confirmation_of_an_out_of_date_preview_is_refused()
    {
        var op = await Factory.CreateUserAsync(TenantContext.DefaultName, [StudioRoles.Operator]);
        var client = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(TenantContext.DefaultName, op));
        var tenant = await CreateTenantAsync();
        var url = $"admin/tenants/{tenant.Name}/features/change?enable=Studio.Hello";

        var preview = await GetStringAsync(client, url);
        var version = VersionIn(preview);
        var newer = await ChangeMeanwhileAsync(tenant.Name);
        using (var stale = await PostAsync(client, url, preview, new() { ["Enable"] = "Studio.Hello", ["Version"] = version }))
        {
            Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
            var html = await stale.Content.ReadAsStringAsync();
            Assert.Contains(Meanwhile, html);
            Assert.Equal(newer.Version, VersionIn(html)); // the preview again, as of now, to confirm afresh
        }
        Assert.DoesNotContain("Studio.Hello", (await RecordAsync(tenant.Name)).Features);

        var current = await GetStringAsync(client, url);
        using (var ok = await PostAsync(client, url, current, new() { ["Enable"] = "Studio.Hello", ["Version"] = VersionIn(current) }))
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(tenant.Name)).Features);
    }

    [Fact]
    public async Task Through_the_API_a_change_with_an_out_of_date_If_Match_is_a_409()
    {
        var key = await Factory.InTenantAsync(TenantContext.DefaultName, sp => sp.GetRequiredService<ApiKeyStore>().CreateAsync("stale " + Guid.NewGuid().ToString("N")[..6], null, "tests"));
        var client = Factory.ClientFor("localhost", handleCookies: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        var tenant = await CreateTenantAsync();
        var old = (await RecordAsync(tenant.Name)).Version;
        var newer = await ChangeMeanwhileAsync(tenant.Name);

        HttpRequestMessage Change(string version) => new(HttpMethod.Post, $"api/v1/tenants/{tenant.Name}/features")
        {
            Headers = { { "If-Match", $"\"{version}\"" } },
            Content = new StringContent(JsonSerializer.Serialize(new { enable = new[] { "Studio.Hello" } }), Encoding.UTF8, "application/json"),
        };
        using (var stale = await client.SendAsync(Change(old)))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
            Assert.Contains(Meanwhile, await stale.Content.ReadAsStringAsync());
        }
        Assert.Equal(newer.Version, (await RecordAsync(tenant.Name)).Version);
        using (var ok = await client.SendAsync(Change(newer.Version)))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Studio.Hello", (await RecordAsync(tenant.Name)).Features);
    }

    [GeneratedRegex("name=\"[Vv]ersion\"[^>]*value=\"([^\"]*)\"")]
    private static partial Regex VersionRegex();
}
