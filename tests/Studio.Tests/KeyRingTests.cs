using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Data;
using Studio.Host.Data;
using Studio.Host.Security;
using Studio.Host.Security.KeyRings;
using Studio.Host.Tenancy;
using Studio.Security;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// Every tenant has its own Data Protection key ring, stored in its own database, encrypted with the platform
/// master key: keys survive a restart, never cross tenants, are unreadable at rest, and a wrong master key is an
/// error rather than a silent new key ring.
/// </summary>
public sealed class KeyRingTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Hello = ["Studio.Hello"];

    /// <summary>A host on shared data with an explicit master key.</summary>
    private sealed class KeyedInstance(TestDatabase shared, string masterKey) : StudioFactory(shared)
    {
        protected override IDictionary<string, string?> Settings()
        {
            var settings = base.Settings();
            settings[MasterKey.Setting] = masterKey;
            return settings;
        }
    }

    private static async Task<T> InShellAsync<T>(StudioFactory host, string tenant, Func<IServiceProvider, T> work)
    {
        var shell = await host.Shells.AcquireAsync(host.Shells.Table.ByName[tenant], CancellationToken.None);
        try { return work(shell.Services); }
        finally { shell.Leave(); }
    }

    private static async Task<IReadOnlyList<string>> StoredKeysAsync(StudioFactory host, string tenant)
    {
        var database = host.Get<StudioDatabase>().ForTenant(host.Shells.Table.ByName[tenant]);
        await using var connection = await database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>($"SELECT xml FROM {TenantXmlRepository.Table}")).ToList();
    }

    private static async Task<string> CreateAsync(StudioFactory host, params string[] features)
    {
        var name = NewName();
        await host.Get<TenantService>().CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = features });
        return name;
    }

    [Fact]
    public async Task Antiforgery_tokens_and_protected_payloads_made_before_a_restart_are_accepted_after_it()
    {
        using var data = new TestDatabase();
        string name, token, secret;
        List<string> cookies;
        await using (var before = new StudioFactory(data))
        {
            name = await CreateAsync(before, Hello);
            using var page = await before.ClientFor($"{name}.test", handleCookies: false).GetAsync("hello");
            token = AntiforgeryToken(await page.Content.ReadAsStringAsync());
            cookies = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
            secret = await InShellAsync(before, name, sp => sp.GetRequiredService<ISecretProtector>().Protect("kept across restarts"));
            before.Logs.AssertClean(0, [], "before the restart");
        }

        // A new host process on the same data path / database: the tenant's keys come back from its database.
        await using var after = new StudioFactory(data);
        using var post = new HttpRequestMessage(HttpMethod.Post, $"http://{name}.test/hello")
        {
            Headers = { { "Cookie", string.Join("; ", cookies) } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Author"] = "Restarted",
                ["Input.Message"] = "the token still works",
                ["__RequestVerificationToken"] = token,
            }),
        };
        using (var response = await after.ClientFor($"{name}.test", handleCookies: false).SendAsync(post))
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("kept across restarts", await InShellAsync(after, name, sp => sp.GetRequiredService<ISecretProtector>().Unprotect(secret)));
        Assert.Single(await StoredKeysAsync(after, name)); // the same key, not a new one
        after.Logs.AssertClean(0, [], "after the restart");
    }

    [Fact]
    public async Task Tenant_B_cannot_unprotect_a_payload_of_tenant_A_even_with_the_same_purpose()
    {
        var a = await CreateTenantAsync();
        var b = await CreateTenantAsync();
        var payload = await InShellAsync(Factory, a.Name, sp => sp.GetRequiredService<IDataProtectionProvider>().CreateProtector("Same.Purpose").Protect("for A only"));
        var secret = await InShellAsync(Factory, a.Name, sp => sp.GetRequiredService<ISecretProtector>().Protect("A's password"));

        Assert.Equal("for A only", await InShellAsync(Factory, a.Name, sp => sp.GetRequiredService<IDataProtectionProvider>().CreateProtector("Same.Purpose").Unprotect(payload)));
        await Assert.ThrowsAnyAsync<CryptographicException>(() =>
            InShellAsync(Factory, b.Name, sp => sp.GetRequiredService<IDataProtectionProvider>().CreateProtector("Same.Purpose").Unprotect(payload)));
        await Assert.ThrowsAnyAsync<CryptographicException>(() => InShellAsync(Factory, b.Name, sp => sp.GetRequiredService<ISecretProtector>().Unprotect(secret)));

        // Each has its own ring, in its own database: no key in common.
        static IEnumerable<string> Ids(IEnumerable<string> rows) => rows.Select(x => (string)XElement.Parse(x).Attribute("id")!);
        var keysA = Ids(await StoredKeysAsync(Factory, a.Name)).ToList();
        var keysB = Ids(await StoredKeysAsync(Factory, b.Name)).ToList();
        Assert.NotEmpty(keysA);
        Assert.NotEmpty(keysB);
        Assert.Empty(keysA.Intersect(keysB));
    }

    [Fact]
    public async Task Stored_keys_hold_no_plaintext_key_material_and_the_master_key_file_is_private()
    {
        var tenant = await CreateTenantAsync();
        await InShellAsync(Factory, tenant.Name, sp => sp.GetRequiredService<ISecretProtector>().Protect("x"));

        var rows = await StoredKeysAsync(Factory, tenant.Name);
        var masterKey = Factory.Get<MasterKey>();
        var row = Assert.Single(rows);
        Assert.DoesNotContain("<masterKey", row, StringComparison.Ordinal);
        var encrypted = Assert.Single(XElement.Parse(row).Descendants(MasterKeyXmlEncryptor.ElementName));
        Assert.Equal(masterKey.Id, (string?)encrypted.Attribute(MasterKeyXmlEncryptor.KeyIdAttribute));
        // What is encrypted is the key material itself: decrypted with the master key, it is Data Protection's
        // <masterKey> element.
        var plain = Encoding.UTF8.GetString(masterKey.Decrypt(MasterKeyXmlEncryptor.Purpose, Convert.FromBase64String((string)encrypted.Element("value")!)));
        Assert.StartsWith("<masterKey", plain, StringComparison.Ordinal);
        Assert.DoesNotContain(XElement.Parse(plain).Element("value")!.Value, row, StringComparison.Ordinal);

        var file = Path.Combine(Factory.DataPath, "keys", "master.key");
        Assert.True(File.Exists(file), "the generated master key is kept under the data path");
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var keyText = (await File.ReadAllTextAsync(file)).Trim();
        Assert.Equal(32, Convert.FromBase64String(keyText).Length);
        Assert.All(Factory.Logs.Since(0), e => Assert.DoesNotContain(keyText, e.ToString()));
    }

    /// <summary>A tenant created, with a key made, by an instance with a master key nobody uses again.</summary>
    private static async Task<string> TenantWithKeysOfAnotherMasterKeyAsync(TestDatabase data)
    {
        await using var first = new KeyedInstance(data, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var name = await CreateAsync(first);
        await InShellAsync(first, name, sp => sp.GetRequiredService<ISecretProtector>().Protect("x"));
        return name;
    }

    [Fact]
    public async Task A_tenant_whose_keys_were_made_with_another_master_key_is_not_activated_and_the_error_says_why()
    {
        using var data = new TestDatabase();
        var name = await TenantWithKeysOfAnotherMasterKeyAsync(data);

        await using var wrong = new KeyedInstance(data, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _ = wrong.Server; // the Default tenant has no keys yet: start-up itself succeeds
        var mark = wrong.Logs.Mark;
        using (var response = await wrong.ClientFor($"{name}.test").GetAsync("/"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = Assert.Single(wrong.Logs.Since(mark), e => e.Level >= LogLevel.Error);
        Assert.IsType<MasterKeyMismatchException>(error.Exception);
        Assert.Contains($"tenant '{name}'", error.Exception!.Message);
        Assert.Contains(MasterKey.Setting, error.Exception.Message);
        Assert.Contains("not created", error.Exception.Message);
        Assert.Single(await StoredKeysAsync(wrong, name)); // no new key was made
        wrong.CheckedUpTo(wrong.Logs.Mark);
    }

    [Fact]
    public async Task The_operator_can_edit_and_disable_a_tenant_that_cannot_start_because_of_its_master_key()
    {
        using var data = new TestDatabase();
        var name = await TenantWithKeysOfAnotherMasterKeyAsync(data);

        await using var wrong = new KeyedInstance(data, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        _ = wrong.Server;
        var mark = wrong.Logs.Mark;
        var service = wrong.Get<TenantService>();

        // An edit activates the tenant to notify its observers: that fails, is logged, and the edit is saved.
        var renamed = await service.UpdateAsync(name, null, t => t with { DisplayName = "Renamed Without Keys" });
        Assert.Equal("Renamed Without Keys", renamed.DisplayName);
        Assert.Equal(Studio.Tenancy.TenantState.Running, renamed.State);

        var disabled = await service.SetEnabledAsync(name, false);
        Assert.Equal(Studio.Tenancy.TenantState.Disabled, disabled.State);
        Assert.Equal(Studio.Tenancy.TenantState.Disabled, (await wrong.Get<ITenantStore>().FindAsync(name))!.State);
        using (var response = await wrong.ClientFor($"{name}.test").GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("This studio is unavailable", await response.Content.ReadAsStringAsync());
        }

        var warning = Assert.Single(wrong.Logs.Since(mark), e => e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(typeof(TenantChangeNotifier).FullName, warning.Category);
        Assert.IsType<MasterKeyMismatchException>(warning.Exception);
        wrong.CheckedUpTo(wrong.Logs.Mark);
    }

    [Fact]
    public async Task A_host_started_with_another_master_key_than_its_stored_keys_stops_with_a_clear_error()
    {
        using var data = new TestDatabase();
        await using (var first = new StudioFactory(data))
            await InShellAsync(first, Studio.Tenancy.TenantContext.DefaultName, sp => sp.GetRequiredService<ISecretProtector>().Protect("platform"));

        await using var wrong = new KeyedInstance(data, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var thrown = Record.Exception(() => wrong.Server);
        Assert.NotNull(thrown);
        MasterKeyMismatchException? mismatch = null;
        for (var e = thrown; e is not null && mismatch is null; e = e.InnerException ?? (e as AggregateException)?.InnerExceptions.FirstOrDefault())
            mismatch = e as MasterKeyMismatchException;
        Assert.True(mismatch is not null, "Start-up failed, but not with a MasterKeyMismatchException: " + thrown);
        Assert.Contains(MasterKey.Setting, mismatch.Message);
        Assert.Contains("master.key", mismatch.Message);
    }

    [Fact]
    public async Task A_shell_loads_its_key_ring_once_and_does_not_read_the_database_per_use()
    {
        var tenant = await CreateTenantAsync();
        var payload = await InShellAsync(Factory, tenant.Name, sp => sp.GetRequiredService<ISecretProtector>().Protect("cached"));
        Assert.Single(await StoredKeysAsync(Factory, tenant.Name));

        // Take the stored keys away behind the shell's back: the active shell keeps working from its cached ring.
        var database = Factory.Get<StudioDatabase>().ForTenant(Factory.Shells.Table.ByName[tenant.Name]);
        string stored;
        await using (var connection = await database.OpenConnectionAsync())
        {
            stored = await connection.ExecuteScalarAsync<string>($"SELECT xml FROM {TenantXmlRepository.Table}") ?? "";
            await connection.ExecuteAsync($"DELETE FROM {TenantXmlRepository.Table}");
        }
        Assert.Equal("cached", await InShellAsync(Factory, tenant.Name, sp => sp.GetRequiredService<ISecretProtector>().Unprotect(payload)));
        await InShellAsync(Factory, tenant.Name, sp => sp.GetRequiredService<ISecretProtector>().Protect("again"));
        Assert.Empty(await StoredKeysAsync(Factory, tenant.Name)); // nothing was read or written for those uses

        // Put them back (the test leaves a healthy tenant).
        await using (var connection = await database.OpenConnectionAsync())
            await connection.ExecuteAsync($"INSERT INTO {TenantXmlRepository.Table} (id, friendly_name, xml, created_utc) VALUES (@id, 'restored', @xml, @created)",
                new { id = Guid.NewGuid().ToString("N"), xml = stored, created = database.Dialect.UtcValue(DateTime.UtcNow) });
    }

    [Theory]
    [InlineData("not base64!", "not valid base64")]
    [InlineData("c2hvcnQ=", "must be 32 bytes")]
    public void A_malformed_master_key_setting_is_refused_with_a_message(string value, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => MasterKey.FromBase64(value));
        Assert.Contains(expected, e.Message);
        Assert.Contains(MasterKey.Setting, e.Message);
    }

    [Fact]
    public void Platform_secrets_are_bound_to_their_master_key()
    {
        var key = MasterKey.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var other = MasterKey.FromBase64(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var stored = key.ProtectString("p", "Host=db;Password=s3cret");
        Assert.DoesNotContain("s3cret", stored);
        Assert.Equal("Host=db;Password=s3cret", key.UnprotectString("p", stored));
        Assert.Contains(MasterKey.Setting, Assert.ThrowsAny<CryptographicException>(() => other.UnprotectString("p", stored)).Message);
        Assert.ThrowsAny<CryptographicException>(() => key.UnprotectString("other purpose", stored));
    }
}
