using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Hello.Services;
using Studio.Platform;
using Studio.Security;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>ITenantAdministration and IResellerDirectory: queries, writes, confinement of resellers, export/import, removal.</summary>
public sealed class TenantAdministrationTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly PlatformActor Operator = new("op-1", "Olga Operator");

    private ITenantAdministration Admin => Factory.Get<ITenantAdministration>();
    private IResellerDirectory Resellers => Factory.Get<IResellerDirectory>();

    private Task<TenantInfo> CreateAsync(PlatformActor actor, string marker, string? name = null, string? plan = null, string? reseller = null,
        IReadOnlyList<string>? features = null)
    {
        name ??= NewName();
        return Admin.CreateAsync(actor, new TenantDraft
        {
            Name = name, DisplayName = $"{marker} {name}", Hosts = [$"{name}.test"], Plan = plan, Reseller = reseller, Features = features ?? [],
        });
    }

    [Fact]
    public async Task Query_searches_name_display_name_and_host_filters_and_pages()
    {
        var marker = "Q" + Guid.NewGuid().ToString("N")[..8];
        var a = await CreateAsync(Operator, marker, plan: "studio");
        var b = await CreateAsync(Operator, marker, plan: "pro");
        var c = await CreateAsync(Operator, marker, plan: "studio");
        await Admin.SetEnabledAsync(Operator, c.Name, false);

        var all = await Admin.QueryAsync(new TenantQuery { Search = marker.ToLowerInvariant() });
        Assert.Equal(3, all.Total);
        Assert.Equal(new[] { a.Name, b.Name, c.Name }.Order(StringComparer.Ordinal), all.Items.Select(t => t.Name));
        Assert.Equal(1, (await Admin.QueryAsync(new TenantQuery { Search = $"{b.Name}.TEST" })).Total); // host, any case
        Assert.Equal(1, (await Admin.QueryAsync(new TenantQuery { Search = b.Name })).Total);

        var studio = await Admin.QueryAsync(new TenantQuery { Search = marker, Plan = "studio" });
        Assert.Equal(new[] { a.Name, c.Name }.Order(StringComparer.Ordinal), studio.Items.Select(t => t.Name).Order(StringComparer.Ordinal));
        var disabled = await Admin.QueryAsync(new TenantQuery { Search = marker, State = TenantState.Disabled });
        Assert.Equal([c.Name], disabled.Items.Select(t => t.Name));

        var page1 = await Admin.QueryAsync(new TenantQuery { Search = marker, PageSize = 2, Page = 1 });
        var page2 = await Admin.QueryAsync(new TenantQuery { Search = marker, PageSize = 2, Page = 2 });
        Assert.Equal((3, 2, 1), (page1.Total, page1.Items.Count, page2.Items.Count));
        Assert.Empty(page1.Items.Select(t => t.Name).Intersect(page2.Items.Select(t => t.Name)));
    }

    [Fact]
    public async Task Update_is_version_checked_and_validated()
    {
        var t = await CreateAsync(Operator, "U");
        var updated = await Admin.UpdateAsync(Operator, t.Name, t.Version, new TenantEdit { DisplayName = "Renamed", Plan = "pro" });
        Assert.Equal(("Renamed", "pro"), (updated.DisplayName, updated.Plan));
        await Assert.ThrowsAsync<PlatformConcurrencyException>(() => Admin.UpdateAsync(Operator, t.Name, t.Version, new TenantEdit { DisplayName = "Stale" }));
        var invalid = await Assert.ThrowsAsync<PlatformValidationException>(() =>
            Admin.UpdateAsync(Operator, t.Name, updated.Version, new TenantEdit { TimeZone = "Mars/Olympus" }));
        Assert.Contains("'Mars/Olympus' is not a known time zone.", invalid.Errors);
        Assert.Equal("Renamed", (await Admin.GetAsync(t.Name))!.DisplayName);
    }

    [Fact]
    public async Task A_reseller_sees_and_touches_only_its_own_tenants_within_quota_and_granted_plans()
    {
        var r1 = await Resellers.SaveAsync(Operator, new ResellerInfo { Id = NewName("r"), Name = "One", TenantQuota = 1, Plans = ["studio"] }, null);
        var r2 = await Resellers.SaveAsync(Operator, new ResellerInfo { Id = NewName("r"), Name = "Two", TenantQuota = 5, Plans = ["studio", "pro"] }, null);
        var actor1 = new PlatformActor("u1", "Reseller One", r1.Id);
        var marker = "R" + Guid.NewGuid().ToString("N")[..8];
        var others = await CreateAsync(Operator, marker, plan: "pro", reseller: r2.Id);
        var platforms = await CreateAsync(Operator, marker);

        // Creation: the reseller is forced, the plan must be granted, the quota holds.
        var ungranted = await Assert.ThrowsAsync<PlatformForbiddenException>(() => CreateAsync(actor1, marker, plan: "pro"));
        Assert.Contains("'pro' is not granted", ungranted.Message);
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => CreateAsync(actor1, marker, plan: "studio", reseller: r2.Id));
        var own = await CreateAsync(actor1, marker, plan: "studio");
        Assert.Equal(r1.Id, own.Reseller);
        var quota = await Assert.ThrowsAsync<PlatformValidationException>(() => CreateAsync(actor1, marker, plan: "studio"));
        Assert.Contains("Your quota of 1 tenant(s) is used up.", quota.Errors);

        // Queries see only its own, whatever filter it asks for.
        var seen = await Admin.QueryAsync(actor1, new TenantQuery { Search = marker });
        Assert.Equal([own.Name], seen.Items.Select(t => t.Name));
        Assert.Equal([own.Name], (await Admin.QueryAsync(actor1, new TenantQuery { Search = marker, Reseller = r2.Id })).Items.Select(t => t.Name));
        Assert.Equal(3, (await Admin.QueryAsync(Operator, new TenantQuery { Search = marker })).Total);

        // Every read or write of another's tenant (or the platform's) is forbidden.
        foreach (var name in new[] { others.Name, platforms.Name })
        {
            await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.GetAsync(actor1, name));
            await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.UpdateAsync(actor1, name, "", new TenantEdit { DisplayName = "x" }));
            await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.SetEnabledAsync(actor1, name, false));
            await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.ReloadAsync(actor1, name));
            await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.ExportAsync(actor1, name, Stream.Null));
            await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.RemoveAsync(actor1, name, name));
        }
        Assert.Equal(TenantState.Running, (await Admin.GetAsync(others.Name))!.State);

        // Its own: no ungranted plan, no moving to another reseller.
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.UpdateAsync(actor1, own.Name, own.Version, new TenantEdit { Plan = "pro" }));
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.UpdateAsync(actor1, own.Name, own.Version, new TenantEdit { Reseller = r2.Id }));
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Admin.UpdateAsync(actor1, own.Name, own.Version, new TenantEdit { Reseller = "" }));
        var renamed = await Admin.UpdateAsync(actor1, own.Name, own.Version, new TenantEdit { DisplayName = "Mine" });
        Assert.Equal(("Mine", "studio", r1.Id), (renamed.DisplayName, renamed.Plan, renamed.Reseller));
    }

    [Fact]
    public async Task Reseller_directory_validates_and_checks_versions()
    {
        var id = NewName("r");
        var saved = await Resellers.SaveAsync(Operator, new ResellerInfo { Id = id, Name = "Acme", TenantQuota = 3, Plans = ["studio"], DefaultTheme = "nope" }, null)
            .ContinueWith(t => t.Exception?.InnerException);
        Assert.IsType<PlatformValidationException>(saved);
        var r = await Resellers.SaveAsync(Operator, new ResellerInfo { Id = id, Name = "Acme", TenantQuota = 3, Plans = ["studio"] }, null);
        Assert.Equal(3, (await Resellers.GetAsync(id))!.TenantQuota);
        await Assert.ThrowsAsync<PlatformValidationException>(() => Resellers.SaveAsync(Operator, r with { Version = "" }, null));
        var r2 = await Resellers.SaveAsync(Operator, r with { TenantQuota = 4 }, r.Version);
        await Assert.ThrowsAsync<PlatformConcurrencyException>(() => Resellers.SaveAsync(Operator, r with { TenantQuota = 5 }, r.Version));
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Resellers.SaveAsync(new PlatformActor("x", "x", "other"), r2, r2.Version));
        Assert.Contains(await Resellers.ListAsync(), x => x.Id == id && x.TenantQuota == 4);
        await Resellers.DeleteAsync(Operator, id);
        Assert.Null(await Resellers.GetAsync(id));
    }

    [Fact]
    public async Task Removal_needs_a_disabled_tenant_and_its_name_writes_the_export_first_and_the_export_brings_everything_back()
    {
        var t = await CreateAsync(Operator, "X", plan: "studio", features: ["Studio.Hello"]);
        var name = t.Name;
        await Factory.InTenantAsync(name, async sp => await sp.GetRequiredService<GreetingStore>().AddAsync("Ann", "Hello from before", default));
        var user = await Factory.CreateUserAsync(name, [StudioRoles.Owner], email: $"owner@{name}.test");
        await Factory.Get<TenantService>().UpdateAsync(name, null, r => r with { SettingsJson = """{"Test":{"Password":"hunter2"}}""" });
        var settings = (await RecordAsync(name)).SettingsJson;
        Assert.DoesNotContain("hunter2", settings);

        var running = await Assert.ThrowsAsync<PlatformValidationException>(() => Admin.RemoveAsync(Operator, name, name));
        Assert.Contains($"Disable the tenant '{name}' before removing it.", running.Errors);
        await Admin.SetEnabledAsync(Operator, name, false);
        var wrongName = await Assert.ThrowsAsync<PlatformValidationException>(() => Admin.RemoveAsync(Operator, name, "yes"));
        Assert.Contains($"Type the tenant's name '{name}' to confirm its removal.", wrongName.Errors);
        Assert.NotNull(await Admin.GetAsync(name));

        var path = await Admin.RemoveAsync(Operator, name, name);
        Assert.StartsWith(Path.Combine(Factory.DataPath, "Exports", name + "-"), path);
        Assert.Matches(@"-\d{14}\.json$", path);
        Assert.True(File.Exists(path));
        Assert.Null(await Admin.GetAsync(name));
        await AssertStorageGoneAsync(name);

        TenantInfo imported;
        await using (var file = File.OpenRead(path))
            imported = await Admin.ImportAsync(Operator, file);
        Assert.Equal((name, "studio", TenantState.Disabled), (imported.Name, imported.Plan, imported.State));
        await Admin.SetEnabledAsync(Operator, name, true);

        var greetings = await Factory.InTenantAsync(name, sp => sp.GetRequiredService<GreetingStore>().ListAsync(10, default));
        Assert.Contains(greetings, g => g.Message == "Hello from before");
        var found = await Factory.InTenantAsync(name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync(user.Email!));
        Assert.Equal(user.Id, found?.Id);
        // The key ring came back with the rows: the secret encrypted before the removal still decrypts.
        var record = await RecordAsync(name);
        Assert.Equal(settings, record.SettingsJson);
        var protectedPassword = (string)JsonNode.Parse(record.SettingsJson)!["Test"]!["PasswordProtected"]!;
        Assert.Equal("hunter2", await Factory.InTenantAsync(name, sp => Task.FromResult(sp.GetRequiredService<ISecretProtector>().Unprotect(protectedPassword))));
        // And a new greeting gets a fresh id after the imported ones.
        await Factory.InTenantAsync(name, async sp => await sp.GetRequiredService<GreetingStore>().AddAsync("Bob", "After", default));
        Assert.Equal(2, (await Factory.InTenantAsync(name, sp => sp.GetRequiredService<GreetingStore>().ListAsync(10, default))).Count);

        // The name is taken now: importing again is refused, clearly.
        await using (var again = File.OpenRead(path))
        {
            var taken = await Assert.ThrowsAsync<PlatformValidationException>(() => Admin.ImportAsync(Operator, again));
            Assert.Contains($"A tenant named '{name}' already exists", taken.Message);
        }
    }

    [Fact]
    public async Task A_failed_import_leaves_nothing_behind()
    {
        var t = await CreateAsync(Operator, "F", features: ["Studio.Hello"]);
        await Admin.SetEnabledAsync(Operator, t.Name, false);
        var path = await Admin.RemoveAsync(Operator, t.Name, t.Name);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        ((JsonArray)json["tables"]!).Add(new JsonObject { ["name"] = "no_such_table", ["columns"] = new JsonArray("id"), ["rows"] = new JsonArray(new JsonArray(1)) });
        ExpectLog(typeof(Studio.Host.Platform.TenantAdministration).FullName!, LogLevel.Warning, "Import of tenant .* failed");

        var e = await Assert.ThrowsAsync<PlatformValidationException>(() => Admin.ImportAsync(Operator, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()))));
        Assert.Contains("nothing was kept", e.Message);
        Assert.Contains("no_such_table", e.Message);
        Assert.Null(await Admin.GetAsync(t.Name));
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(t.Name));
        await AssertStorageGoneAsync(t.Name);

        var notExport = await Assert.ThrowsAsync<PlatformValidationException>(() => Admin.ImportAsync(Operator, new MemoryStream("{\"x\":1}"u8.ToArray())));
        Assert.Contains("The file is not a tenant export.", notExport.Errors);
    }
}
