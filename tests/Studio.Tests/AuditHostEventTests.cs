using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Data;
using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The host's tenant changes reach the tenant's audit trail through ITenantChangeObserver.</summary>
public sealed class AuditHostEventTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Audit = ["Studio.Audit"];

    private static async Task<JsonElement[]> EntriesAsync(TestTenant tenant, string action) =>
        [.. (await GetJsonAsync(tenant.Client, $"admin/audit/api/entries?action={action}")).GetProperty("entries").EnumerateArray()];

    private static JsonElement Json(JsonElement entry, string property) =>
        JsonDocument.Parse(entry.GetProperty(property).GetString()!).RootElement.Clone();

    [Fact]
    public async Task A_change_made_in_a_signed_in_request_names_that_user_with_ip_and_user_agent()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var accessor = Factory.Get<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext
        {
            User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new(System.Security.Claims.ClaimTypes.NameIdentifier, "u-42"), new(System.Security.Claims.ClaimTypes.Name, "Ada Admin")], "test")),
        };
        request.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
        request.Request.Headers.UserAgent = "AuditTest/1.0";
        accessor.HttpContext = request;
        try { await ChangeFeaturesAsync(t.Name, ["Studio.Hello"], []); }
        finally { accessor.HttpContext = null; }

        var entry = Assert.Single(await EntriesAsync(t, "tenant.features.changed"));
        Assert.Equal("u-42", entry.GetProperty("actorId").GetString());
        Assert.Equal("Ada Admin", entry.GetProperty("actorName").GetString());
        Assert.Equal("203.0.113.7", entry.GetProperty("ip").GetString());
        Assert.Equal("AuditTest/1.0", entry.GetProperty("userAgent").GetString());
    }

    [Fact]
    public async Task A_feature_toggle_is_audited_with_before_and_after()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        await ChangeFeaturesAsync(t.Name, ["Studio.Hello"], []);
        var entry = Assert.Single(await EntriesAsync(t, "tenant.features.changed"));
        Assert.Equal("system", entry.GetProperty("actorId").GetString()); // made outside any request: the platform's own
        Assert.Equal(t.Name, entry.GetProperty("target").GetString());
        var before = Json(entry, "beforeJson").GetProperty("Features").EnumerateArray().Select(e => e.GetString()).ToList();
        var after = Json(entry, "afterJson").GetProperty("Features").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.DoesNotContain("Studio.Hello", before);
        Assert.Contains("Studio.Hello", after);
        Assert.True((await GetJsonAsync(t.Client, "admin/audit/api/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Disabling_the_audit_trail_is_recorded_by_it_and_enabling_it_again_too()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        await ChangeFeaturesAsync(t.Name, [], ["Studio.Audit"]);
        await ChangeFeaturesAsync(t.Name, ["Studio.Audit"], []);
        var entries = await EntriesAsync(t, "tenant.features.changed");
        Assert.Equal(2, entries.Length);
        Assert.Contains("Studio.Audit", Json(entries[0], "afterJson").GetProperty("Features").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("Studio.Audit", Json(entries[1], "afterJson").GetProperty("Features").EnumerateArray().Select(e => e.GetString()));
        Assert.True((await GetJsonAsync(t.Client, "admin/audit/api/verify")).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Brand_theme_and_settings_changes_are_audited_with_secrets_masked()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var service = Factory.Get<TenantService>();
        await service.UpdateAsync(t.Name, null, r => r with { Brand = r.Brand with { PrimaryColor = "#123456" } });
        await service.UpdateAsync(t.Name, null, r => r with { Theme = "Midnight" });
        await service.UpdateAsync(t.Name, null, r => r with { SettingsJson = "{\"Mail\":{\"Host\":\"smtp.test\",\"Password\":\"hunter2\"}}" });

        var brand = Assert.Single(await EntriesAsync(t, "tenant.brand.changed"));
        Assert.Equal("#123456", Json(brand, "afterJson").GetProperty("Brand").GetProperty("PrimaryColor").GetString());
        var theme = Assert.Single(await EntriesAsync(t, "tenant.theme.changed"));
        Assert.Equal("Midnight", Json(theme, "afterJson").GetProperty("Theme").GetString());
        var settings = Assert.Single(await EntriesAsync(t, "tenant.settings.changed"));
        var mail = Json(settings, "afterJson").GetProperty("Settings").GetProperty("Mail");
        Assert.Equal("smtp.test", mail.GetProperty("Host").GetString());
        // The password given in clear was stored encrypted (PasswordProtected), and the audit masks that too.
        Assert.False(mail.TryGetProperty("Password", out _));
        Assert.Equal("***", mail.GetProperty("PasswordProtected").GetString());
        Assert.DoesNotContain("hunter2", await GetStringAsync(t.Client, "admin/audit/api/entries"));
        Assert.DoesNotContain("hunter2", await GetStringAsync(t.Client, "admin/audit/export.csv"));
    }

    [Fact]
    public async Task A_change_is_recorded_only_in_the_affected_tenant_and_not_where_audit_is_off()
    {
        var a = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var b = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var c = await CreateTenantAsync();
        await ChangeFeaturesAsync(a.Name, ["Studio.Hello"], []);
        await ChangeFeaturesAsync(c.Name, ["Studio.Hello"], []);
        Assert.Single(await EntriesAsync(a, "tenant.features.changed"));
        Assert.Empty(await EntriesAsync(b, "tenant.features.changed"));
        // c has no audit trail: nothing is written to its database and the change went through.
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[c.Name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await using var connection = await scope.ServiceProvider.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            var tables = await connection.ExecuteScalarAsync<long>(TestDatabase.IsPostgres
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'audit_entries'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit_entries'");
            Assert.Equal(0, tables);
        }
        finally { shell.Leave(); }
    }
}
