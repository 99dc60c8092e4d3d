using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Studio.Audit;
using Studio.Data;
using Microsoft.Extensions.Options;
using Studio.Host.Tenancy;
using Studio.Modules.Audit;
using Studio.Modules.Audit.Services;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>The audit trail: hash chain, verify and tamper detection, concurrency, masking, CSV, filters, retention, isolation.</summary>
public sealed class AuditTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Audit = ["Studio.Audit"];

    /// <summary>A clock shifted from the real one, for entries "recorded" in the past.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    private async Task WithTenantAsync(string name, Func<IServiceProvider, Task> action)
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await action(scope.ServiceProvider);
        }
        finally { shell.Leave(); }
    }

    private static AuditLog LogAt(IServiceProvider services, TimeSpan offset) => new(
        services.GetRequiredService<ITenantDatabase>(), services.GetRequiredService<TenantContext>(), new ShiftedClock(offset),
        services.GetRequiredService<AuditChainGate>(), services.GetRequiredService<IOptions<AuditSettings>>());

    private async Task<long[]> AppendAsync(string tenant, int count, string action = "test.action", AuditActor? actor = null)
    {
        var ids = new List<long>();
        await WithTenantAsync(tenant, async services =>
        {
            var trail = services.GetRequiredService<IAuditTrail>();
            for (var i = 0; i < count; i++)
                ids.Add(await trail.RecordAsync(new AuditRecord(actor ?? AuditActor.Operator, action, $"item-{i}", new { n = i }, new { n = i + 1 })));
        });
        return [.. ids];
    }

    private async Task<AuditVerification> VerifyAsync(string tenant)
    {
        AuditVerification? result = null;
        await WithTenantAsync(tenant, async services => result = await services.GetRequiredService<AuditLog>().VerifyAsync(CancellationToken.None));
        return result!;
    }

    private async Task SqlAsync(string tenant, string sql, object? parameters = null) =>
        await WithTenantAsync(tenant, async services =>
        {
            await using var connection = await services.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            await connection.ExecuteAsync(sql, parameters);
        });

    [Fact]
    public async Task An_untouched_chain_verifies_through_the_service_and_the_endpoint()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        Assert.True((await VerifyAsync(t.Name)).Valid); // empty chain
        await AppendAsync(t.Name, 5);
        var result = await VerifyAsync(t.Name);
        Assert.True(result.Valid);
        Assert.Equal(5, result.Checked);
        var json = await GetJsonAsync(t.Client, "admin/audit/api/verify");
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(5, json.GetProperty("checked").GetInt64());
    }

    [Fact]
    public async Task A_changed_row_is_reported_by_id()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var ids = await AppendAsync(t.Name, 5);
        await SqlAsync(t.Name, "UPDATE audit_entries SET after_json = '{\"n\":99}' WHERE id = @id", new { id = ids[2] });
        var result = await VerifyAsync(t.Name);
        Assert.False(result.Valid);
        Assert.Equal(ids[2], result.BrokenId);
        Assert.Equal(AuditBreak.Changed, result.Break);
        var json = await GetJsonAsync(t.Client, "admin/audit/api/verify");
        Assert.False(json.GetProperty("valid").GetBoolean());
        Assert.Equal(ids[2], json.GetProperty("brokenId").GetInt64());
        Assert.Equal("Changed", json.GetProperty("break").GetString());
    }

    [Fact]
    public async Task A_deleted_row_is_reported_at_the_entry_that_follows_it()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var ids = await AppendAsync(t.Name, 5);
        await SqlAsync(t.Name, "DELETE FROM audit_entries WHERE id = @id", new { id = ids[1] });
        var result = await VerifyAsync(t.Name);
        Assert.Equal(ids[2], result.BrokenId);
        Assert.Equal(AuditBreak.LinkBroken, result.Break);
    }

    [Fact]
    public async Task A_deleted_last_row_is_reported_as_a_missing_tail()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var ids = await AppendAsync(t.Name, 3);
        await SqlAsync(t.Name, "DELETE FROM audit_entries WHERE id = @id", new { id = ids[2] });
        var result = await VerifyAsync(t.Name);
        Assert.Equal(ids[2], result.BrokenId);
        Assert.Equal(AuditBreak.TailDeleted, result.Break);
    }

    [Fact]
    public async Task An_inserted_row_is_reported_even_with_a_correctly_computed_hash()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var ids = await AppendAsync(t.Name, 3);
        // The forger knows the algorithm and links to the real last hash; only the recorded head betrays it.
        string lastHash = "";
        await WithTenantAsync(t.Name, async services =>
        {
            await using var connection = await services.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            lastHash = await connection.ExecuteScalarAsync<string>("SELECT hash FROM audit_entries WHERE id = @id", new { id = ids[2] }) ?? "";
        });
        var forgedId = ids[2] + 10;
        const long created = 1_700_000_000_000;
        var hash = AuditHasher.Compute(t.Name, created, "operator", "Operator", "forged", null, null, null, null, null, lastHash);
        await SqlAsync(t.Name, "INSERT INTO audit_entries (id, tenant, created_ms, actor_id, actor_name, action, prev_hash, hash) " +
            "VALUES (@forgedId, @tenant, @created, 'operator', 'Operator', 'forged', @lastHash, @hash)",
            new { forgedId, tenant = t.Name, created, lastHash, hash });
        var result = await VerifyAsync(t.Name);
        Assert.Equal(forgedId, result.BrokenId);
        Assert.Equal(AuditBreak.Inserted, result.Break);

        // Inserted in the middle (in a gap of ids) with a made-up link: the link is broken there.
        await SqlAsync(t.Name, "DELETE FROM audit_entries WHERE id = @forgedId", new { forgedId });
        var u = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var uIds = await AppendAsync(u.Name, 2);
        await SqlAsync(u.Name, "UPDATE audit_entries SET id = @newId WHERE id = @id", new { newId = uIds[1] + 5, id = uIds[1] });
        await SqlAsync(u.Name, "UPDATE audit_chain SET head_id = @newId", new { newId = uIds[1] + 5 });
        var middle = uIds[0] + 1;
        var fake = AuditHasher.Compute(u.Name, created, "x", "x", "forged", null, null, null, null, null, "deadbeef");
        await SqlAsync(u.Name, "INSERT INTO audit_entries (id, tenant, created_ms, actor_id, actor_name, action, prev_hash, hash) " +
            "VALUES (@middle, @tenant, @created, 'x', 'x', 'forged', 'deadbeef', @fake)", new { middle, tenant = u.Name, created, fake });
        var inMiddle = await VerifyAsync(u.Name);
        Assert.Equal(middle, inMiddle.BrokenId);
        Assert.Equal(AuditBreak.LinkBroken, inMiddle.Break);
    }

    [Fact]
    public async Task Fifty_concurrent_appends_never_fork_the_chain()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        // Half go through the tenant's own trail; the other half each get a gate of their own, as if every one came
        // from another host instance: only the database lock (write transaction / advisory lock) orders those.
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
            WithTenantAsync(t.Name, async services =>
            {
                var record = new AuditRecord(AuditActor.System, "concurrent", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (i % 2 == 0)
                {
                    await services.GetRequiredService<IAuditTrail>().RecordAsync(record);
                    return;
                }
                using var ownGate = new AuditChainGate();
                await new AuditLog(services.GetRequiredService<ITenantDatabase>(), services.GetRequiredService<TenantContext>(),
                    TimeProvider.System, ownGate, services.GetRequiredService<IOptions<AuditSettings>>()).RecordAsync(record);
            }))));
        var result = await VerifyAsync(t.Name);
        Assert.True(result.Valid, $"broken at {result.BrokenId}: {result.Break}");
        Assert.Equal(50, result.Checked);
    }

    [Fact]
    public async Task Secrets_are_masked_at_any_depth()
    {
        var json = AuditMasking.ToMaskedJson(new
        {
            Name = "studio",
            Password = "p@ss",
            Nested = new { ApiKey = "k", client_secret = "s", RefreshToken = "t", ConnectionString = "Host=x", Keyboard = "ok" },
            List = new[] { new { Token = "t2", Value = 1 } },
        });
        Assert.Equal("{\"Name\":\"studio\",\"Password\":\"***\",\"Nested\":{\"ApiKey\":\"***\",\"client_secret\":\"***\",\"RefreshToken\":\"***\"," +
            "\"ConnectionString\":\"***\",\"Keyboard\":\"ok\"},\"List\":[{\"Token\":\"***\",\"Value\":1}]}", json);
        Assert.Null(AuditMasking.ToMaskedJson(null));

        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        await WithTenantAsync(t.Name, services => services.GetRequiredService<IAuditTrail>()
            .RecordAsync(new AuditRecord(AuditActor.Operator, "settings.changed", After: new { SmtpPassword = "hunter2" })));
        var body = await GetStringAsync(t.Client, "admin/audit/api/entries");
        Assert.DoesNotContain("hunter2", body);
        Assert.Contains("***", body);
    }

    [Fact]
    public void Csv_cells_follow_RFC_4180_and_never_start_a_formula()
    {
        Assert.Equal("plain", AuditCsv.Cell("plain"));
        Assert.Equal("", AuditCsv.Cell(null));
        Assert.Equal("\"a,b\"", AuditCsv.Cell("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", AuditCsv.Cell("say \"hi\""));
        Assert.Equal("\"line1\nline2\"", AuditCsv.Cell("line1\nline2"));
        Assert.Equal("'=1+1", AuditCsv.Cell("=1+1"));
        Assert.Equal("'+1", AuditCsv.Cell("+1"));
        Assert.Equal("'-1", AuditCsv.Cell("-1"));
        Assert.Equal("'@SUM(A1)", AuditCsv.Cell("@SUM(A1)"));
        Assert.Equal("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"", AuditCsv.Cell("=HYPERLINK(\"x\",\"y\")"));
        Assert.Equal("a,b\r\n", AuditCsv.Row(["a", "b"]));
    }

    [Fact]
    public async Task Csv_export_contains_the_filtered_entries_escaped()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        await WithTenantAsync(t.Name, services => services.GetRequiredService<IAuditTrail>()
            .RecordAsync(new AuditRecord(AuditActor.Operator, "export.test", "=cmd|' /C calc'!A0", UserAgent: "agent, \"quoted\"")));
        await AppendAsync(t.Name, 2, "other.action");
        using var response = await t.Client.GetAsync("admin/audit/export.csv?action=export.test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n");
        Assert.Equal(3, lines.Length); // header, one entry, empty after the final CRLF
        Assert.StartsWith("id,time_utc,actor_id", lines[0]);
        Assert.Contains(",'=cmd|' /C calc'!A0,", lines[1]);
        Assert.Contains(",\"agent, \"\"quoted\"\"\",", lines[1]);
        Assert.Equal("", lines[2]);
    }

    [Fact]
    public async Task Entries_filter_by_actor_action_and_date_with_paging()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        await WithTenantAsync(t.Name, async services =>
        {
            await LogAt(services, TimeSpan.FromDays(-10)).RecordAsync(new AuditRecord(AuditActor.System, "old.thing"));
            var log = services.GetRequiredService<IAuditTrail>();
            for (var i = 0; i < 3; i++)
                await log.RecordAsync(new AuditRecord(AuditActor.Operator, "new.thing"));
            await log.RecordAsync(new AuditRecord(new AuditActor("u1", "Ada"), "new.thing"));
        });
        Assert.Equal(5, (await GetJsonAsync(t.Client, "admin/audit/api/entries")).GetProperty("total").GetInt64());
        Assert.Equal(3, (await GetJsonAsync(t.Client, "admin/audit/api/entries?actor=operator")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await GetJsonAsync(t.Client, "admin/audit/api/entries?actor=Ada")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await GetJsonAsync(t.Client, "admin/audit/api/entries?action=old.thing")).GetProperty("total").GetInt64());
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        Assert.Equal(4, (await GetJsonAsync(t.Client, $"admin/audit/api/entries?from={from}")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await GetJsonAsync(t.Client, $"admin/audit/api/entries?to={from}")).GetProperty("total").GetInt64());
        var page2 = await GetJsonAsync(t.Client, "admin/audit/api/entries?pageSize=2&page=3");
        Assert.Equal(5, page2.GetProperty("total").GetInt64());
        Assert.Equal(1, page2.GetProperty("entries").GetArrayLength());
        Assert.Equal("old.thing", page2.GetProperty("entries")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task Pruning_removes_old_entries_and_verify_stays_green_from_the_anchor()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        await WithTenantAsync(t.Name, async services =>
        {
            var old = LogAt(services, TimeSpan.FromDays(-40));
            for (var i = 0; i < 3; i++)
                await old.RecordAsync(new AuditRecord(AuditActor.System, "old"));
            var log = services.GetRequiredService<AuditLog>();
            for (var i = 0; i < 2; i++)
                await log.RecordAsync(new AuditRecord(AuditActor.System, "recent"));
            Assert.Equal(3, await log.PruneAsync(30, CancellationToken.None));
            Assert.Equal(0, await log.PruneAsync(30, CancellationToken.None));
            await log.RecordAsync(new AuditRecord(AuditActor.System, "after-prune"));
            var result = await log.VerifyAsync(CancellationToken.None);
            Assert.True(result.Valid, $"broken at {result.BrokenId}: {result.Break}");
            Assert.Equal(3, result.Checked);
            Assert.True(result.AnchorId > 0);
        });
        Assert.Equal(3, (await GetJsonAsync(t.Client, "admin/audit/api/entries")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_retention_setting_prunes_on_first_use_and_then_daily_and_verify_stays_green()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(Audit));
        // Entries "recorded 40 days ago" while the tenant keeps everything (no retention yet).
        await WithTenantAsync(t.Name, async services =>
        {
            var past = LogAt(services, TimeSpan.FromDays(-40));
            for (var i = 0; i < 3; i++)
                await past.RecordAsync(new AuditRecord(AuditActor.System, "old"));
        });
        // Setting the retention is itself audited; the new activation applies it on the log's first use.
        await Factory.Get<TenantService>().UpdateAsync(t.Name, null, r => r with { SettingsJson = "{\"Audit\":{\"RetentionDays\":30}}" });
        var entries = (await GetJsonAsync(t.Client, "admin/audit/api/entries")).GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["tenant.settings.changed"], entries);
        var verify = await GetJsonAsync(t.Client, "admin/audit/api/verify");
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.True(verify.GetProperty("anchorId").GetInt64() > 0);
        await WithTenantAsync(t.Name, services => services.GetRequiredService<IAuditTrail>().RecordAsync(new AuditRecord(AuditActor.System, "after")));
        Assert.True((await GetJsonAsync(t.Client, "admin/audit/api/verify")).GetProperty("valid").GetBoolean());

        // At most one run a day per activation.
        using var gate = new AuditChainGate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(gate.TryClaimRetentionRun(now));
        Assert.False(gate.TryClaimRetentionRun(now + 1000));
        Assert.False(gate.TryClaimRetentionRun(now + (long)TimeSpan.FromHours(23).TotalMilliseconds));
        Assert.True(gate.TryClaimRetentionRun(now + (long)TimeSpan.FromDays(1).TotalMilliseconds));
    }

    [Fact]
    public async Task Tenant_B_never_sees_tenant_A_entries()
    {
        var a = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var b = await Factory.AsAsync(await CreateTenantAsync(Audit));
        var marker = "secret-target-" + Guid.NewGuid().ToString("N");
        await WithTenantAsync(a.Name, services => services.GetRequiredService<IAuditTrail>()
            .RecordAsync(new AuditRecord(AuditActor.Operator, "isolation", marker)));
        Assert.Contains(marker, await GetStringAsync(a.Client, "admin/audit/api/entries"));
        var apiB = await GetJsonAsync(b.Client, "admin/audit/api/entries");
        Assert.Equal(0, apiB.GetProperty("total").GetInt64());
        foreach (var path in new[] { "admin/audit/api/entries?pageSize=500", "admin/audit/export.csv", "admin/audit/api/verify" })
            Assert.DoesNotContain(marker, await GetStringAsync(b.Client, path));
        // Without the feature there are no audit routes at all.
        var c = await CreateTenantAsync();
        await GetStringAsync(c.Client, "admin/audit/api/entries", HttpStatusCode.NotFound);
    }
}

/// <summary>The /admin/audit page: filters, paging, time zone, verify, isolation.</summary>
public sealed class AuditPageTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private async Task RecordAsync(string tenant, params AuditRecord[] records)
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[tenant], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            foreach (var record in records)
                await scope.ServiceProvider.GetRequiredService<IAuditTrail>().RecordAsync(record);
        }
        finally { shell.Leave(); }
    }

    [Fact]
    public async Task The_page_filters_pages_verifies_and_shows_times_in_the_tenant_zone()
    {
        var t = await Factory.AsAsync(await CreateTenantAsync(["Studio.Audit"], r => r with { TimeZone = "Asia/Tokyo" }));
        var marker = "target-" + Guid.NewGuid().ToString("N");
        await RecordAsync(t.Name, [.. Enumerable.Range(0, 55).Select(i => new AuditRecord(AuditActor.System, "bulk", $"b{i}")),
            new AuditRecord(new AuditActor("u7", "Grace"), "special", marker)]);

        var page = await GetStringAsync(t.Client, "admin/audit");
        Assert.Contains(marker, page);
        Assert.Contains("Asia/Tokyo", page);
        Assert.Contains("Page 1 of 2 (56 entries)", page);
        // The newest entry's stored UTC time, shown in Tokyo time.
        var newest = (await GetJsonAsync(t.Client, "admin/audit/api/entries?pageSize=1")).GetProperty("entries")[0];
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var shown = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(newest.GetProperty("createdMs").GetInt64()), tokyo);
        Assert.Contains(shown.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), page);
        var nowTokyo = shown;

        var second = await GetStringAsync(t.Client, "admin/audit?p=2");
        Assert.Contains("Page 2 of 2 (56 entries)", second);
        Assert.DoesNotContain(marker, second);

        var grace = await GetStringAsync(t.Client, "admin/audit?actor=Grace");
        Assert.Contains(marker, grace);
        Assert.Contains("Page 1 of 1 (1 entries)", grace);
        var none = await GetStringAsync(t.Client, "admin/audit?actionCode=bulk&from=2001-01-01&to=2001-01-02");
        Assert.Contains("No entries match.", none);
        // A day either side, so recording across Tokyo's midnight cannot matter.
        var day = DateOnly.FromDateTime(nowTokyo.DateTime);
        var filtered = await GetStringAsync(t.Client, $"admin/audit?actionCode=bulk&from={day.AddDays(-1):yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}");
        Assert.Contains("(55 entries)", filtered);
        // The export link carries the same filters (dates turned into UTC instants) and yields the same entries.
        var export = System.Text.RegularExpressions.Regex.Match(filtered, "href=\"([^\"]*export\\.csv[^\"]*)\"");
        Assert.True(export.Success, "no export link");
        var csv = await GetStringAsync(t.Client, System.Net.WebUtility.HtmlDecode(export.Groups[1].Value));
        Assert.Equal(1 + 55, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("No entries match.", await GetStringAsync(t.Client, $"admin/audit?actionCode=bulk&to={day.AddDays(-2):yyyy-MM-dd}"));
        Assert.Contains("No entries match.", await GetStringAsync(t.Client, $"admin/audit?actionCode=bulk&from={day.AddDays(2):yyyy-MM-dd}"));

        // The export itself is a data export, recorded in the trail with its filters.
        var exported = System.Text.Json.JsonDocument.Parse(await GetStringAsync(t.Client, $"admin/audit/api/entries?action={AuditActions.Exported}")).RootElement;
        Assert.Equal(1, exported.GetProperty("total").GetInt32());
        Assert.Contains("bulk", exported.GetProperty("entries")[0].GetProperty("afterJson").GetString());
        Assert.Contains("The chain is intact: 57 entries checked.", await GetStringAsync(t.Client, "admin/audit?verify=true"));
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[t.Name], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            await using var connection = await scope.ServiceProvider.GetRequiredService<ITenantDatabase>().OpenConnectionAsync();
            await connection.ExecuteAsync("UPDATE audit_entries SET actor_name = 'Mallory' WHERE target = 'b10'");
        }
        finally { shell.Leave(); }
        var broken = await GetStringAsync(t.Client, "admin/audit?verify=true");
        Assert.Matches(@"The chain is broken at entry \d+: the entry was changed\.", broken);
    }

    [Fact]
    public async Task Tenant_B_page_never_shows_tenant_A_entries()
    {
        var a = await Factory.AsAsync(await CreateTenantAsync(["Studio.Audit"]));
        var b = await Factory.AsAsync(await CreateTenantAsync(["Studio.Audit"]));
        var marker = "a-only-" + Guid.NewGuid().ToString("N");
        await RecordAsync(a.Name, new AuditRecord(AuditActor.Operator, "isolation", marker));
        Assert.Contains(marker, await GetStringAsync(a.Client, "admin/audit"));
        var pageB = await GetStringAsync(b.Client, $"admin/audit?actionCode=isolation");
        Assert.DoesNotContain(marker, pageB);
        Assert.Contains("No entries match.", pageB);
        Assert.DoesNotContain(marker, await GetStringAsync(b.Client, "admin/audit?verify=true"));
    }
}
