using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Studio.Email;
using Studio.Host.Data;
using Studio.Host.Tenancy;
using Studio.Modules.Email.Outbox;
using Studio.Modules.Email.Templates;
using Studio.Security;
using Studio.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>A host with its email pump off and a recipe that carries an SMTP password in clear.</summary>
public sealed class SecretsStudioFactory : StudioFactory
{
    public const string SmtpRecipe = "smtp-studio";
    public const string RecipePassword = "r3cipe-Pa55-w0rd";
    /// <summary>The SMTP server the recipe points at.</summary>
    public SmtpTestServer Smtp { get; } = new("studio", RecipePassword);

    public SecretsStudioFactory()
    {
        RecipesPath = Path.Combine(DataPath, "recipes");
        Directory.CreateDirectory(RecipesPath);
        File.WriteAllText(Path.Combine(RecipesPath, SmtpRecipe + ".json"), $$"""
            { "name": "{{SmtpRecipe}}", "steps": [
              { "name": "features", "enable": [ "Studio.Email" ] },
              { "name": "settings", "settings": { "Email": { "FromAddress": "hello@recipe.test", "Providers": [
                { "Kind": "Smtp", "Host": "127.0.0.1", "Port": {{Smtp.Port}}, "Tls": "None", "User": "studio", "Password": "{{RecipePassword}}" } ] } } } ] }
            """);
    }

    public string RecipesPath { get; }

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:RecipesPath"] = RecipesPath;
        settings["Studio:Email:PollInterval"] = "00:00:00";
        settings["Studio:Email:FromAddress"] = "no-reply@studio.test";
        return settings;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Secrets at rest: the SMTP password in a tenant's settings and a tenant's own connection string are stored
/// encrypted and still work.
/// </summary>
public sealed class SecretsTests(SecretsStudioFactory factory) : StudioTest<SecretsStudioFactory>(factory)
{
    private async Task<string> RawRowAsync(StudioFactory host, string tenant)
    {
        await using var connection = await host.Get<StudioDatabase>().Platform.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT data FROM tenants WHERE name = @tenant", new { tenant }) ?? "";
    }

    private async Task<T> InTenantAsync<T>(string tenant, Func<IServiceProvider, Task<T>> work)
    {
        var shell = await Factory.Shells.AcquireAsync(Factory.Shells.Table.ByName[tenant], CancellationToken.None);
        try
        {
            await using var scope = shell.Services.CreateAsyncScope();
            return await work(scope.ServiceProvider);
        }
        finally { shell.Leave(); }
    }

    private async Task<int> SendInvitationAsync(string tenant)
    {
        await InTenantAsync(tenant, async sp =>
        {
            var message = sp.GetRequiredService<IEmailTemplates>().Render(EmailTemplates.Invitation, "ana@example.test", "Ana", null,
                new Dictionary<string, string> { ["inviter"] = "Eve", ["link"] = "https://x.test/invite" });
            await sp.GetRequiredService<IEmailOutbox>().EnqueueAsync(message);
            return 0;
        });
        return await InTenantAsync(tenant, sp => ActivatorUtilities.CreateInstance<EmailDispatcher>(sp, (TimeProvider)new FakeTimeProvider(DateTimeOffset.UtcNow)).DispatchAsync());
    }

    private static JsonNode Provider(TenantRecord record) => JsonNode.Parse(record.SettingsJson)!["Email"]!["Providers"]![0]!;

    [Fact]
    public async Task An_SMTP_password_saved_in_clear_is_stored_encrypted_and_still_authenticates()
    {
        const string password = "upd4te-Pa55-w0rd";
        await using var server = new SmtpTestServer("studio", password);
        var tenant = await CreateTenantAsync(["Studio.Email"]);
        var json = JsonSerializer.Serialize(new { Email = new { FromAddress = "a@b.test", Providers = new[] {
            new { Kind = "Smtp", Host = "127.0.0.1", server.Port, Tls = "None", User = "studio", Password = password } } } });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = json });

        Assert.DoesNotContain(password, await RawRowAsync(Factory, tenant.Name));
        var provider = Provider(await RecordAsync(tenant.Name));
        Assert.Null(provider["Password"]);
        Assert.False(string.IsNullOrEmpty((string?)provider["PasswordProtected"]));
        Assert.Equal("studio", (string?)provider["User"]); // the rest of the settings is kept as it was

        Assert.Equal(1, await SendInvitationAsync(tenant.Name));
        Assert.Single(server.Messages);
        Assert.Equal(0, server.FailedLogins);
        Assert.All(TestLogs, e => Assert.DoesNotContain(password, e.ToString() + e.Exception));

        // Saving other settings keeps the encrypted password as it is.
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { DisplayName = "Renamed" });
        Assert.Equal((string?)provider["PasswordProtected"], (string?)Provider(await RecordAsync(tenant.Name))["PasswordProtected"]);
    }

    [Fact]
    public async Task An_SMTP_password_in_a_recipe_is_never_stored_in_clear_and_authenticates()
    {
        var name = NewName();
        await Factory.Get<TenantService>().CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Recipe = SecretsStudioFactory.SmtpRecipe });

        Assert.DoesNotContain(SecretsStudioFactory.RecipePassword, await RawRowAsync(Factory, name));
        Assert.False(string.IsNullOrEmpty((string?)Provider(await RecordAsync(name))["PasswordProtected"]));
        var before = Factory.Smtp.Messages.Count;
        Assert.Equal(1, await SendInvitationAsync(name));
        Assert.Equal(before + 1, Factory.Smtp.Messages.Count);
        Assert.Equal(0, Factory.Smtp.FailedLogins);
    }

    [Fact]
    public async Task An_encrypted_password_copied_to_another_tenant_does_not_decrypt_there()
    {
        ExpectLog("Studio.Modules.Email.Outbox.EmailDispatcher", Microsoft.Extensions.Logging.LogLevel.Warning, "cannot be decrypted");
        ExpectLog("Studio.Modules.Email.Outbox.EmailDispatcher", Microsoft.Extensions.Logging.LogLevel.Warning, "not delivered", required: false);
        await using var server = new SmtpTestServer("studio", "copied-secret");
        var a = await CreateTenantAsync(["Studio.Email"]);
        var b = await CreateTenantAsync(["Studio.Email"]);
        var json = JsonSerializer.Serialize(new { Email = new { Providers = new[] {
            new { Kind = "Smtp", Host = "127.0.0.1", server.Port, Tls = "None", User = "studio", Password = "copied-secret" } } } });
        var service = Factory.Get<TenantService>();
        await service.UpdateAsync(a.Name, null, t => t with { SettingsJson = json });
        var stolen = (await RecordAsync(a.Name)).SettingsJson;
        await service.UpdateAsync(b.Name, null, t => t with { SettingsJson = stolen });

        Assert.Equal(0, await SendInvitationAsync(b.Name));
        Assert.Empty(server.Messages);
        Assert.Equal(1, await SendInvitationAsync(a.Name));
    }

    [Fact]
    public async Task Email_template_overrides_are_sanitized_before_rendering()
    {
        var tenant = await CreateTenantAsync(["Studio.Email"]);
        var html = """
            <p>Hello {{name}}</p><script>alert(1)</script><img src=x onerror="alert(2)">
            <a href="javascript:alert(3)">js</a><svg onload="alert(4)"></svg><iframe src="https://evil.test"></iframe>
            <p style="width:expression(alert(5));color:#123456">styled</p><a href="{{link}}">Join</a>
            """;
        var json = JsonSerializer.Serialize(new { Email = new { Templates = new Dictionary<string, object> { ["invitation"] = new { Subject = "Hi", Html = html } } } });
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { SettingsJson = json });

        var body = await InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<IEmailTemplates>().Render(EmailTemplates.Invitation,
            "ana@example.test", "<b>Ana</b>", null, new Dictionary<string, string> { ["inviter"] = "Eve", ["link"] = "https://x.test/invite?a=1&b=2" }).HtmlBody));
        var inner = body[body.IndexOf("<p>Hello", StringComparison.Ordinal)..];
        foreach (var bad in new[] { "<script", "alert(", "onerror", "javascript:", "<svg", "onload", "<iframe", "expression" })
            Assert.DoesNotContain(bad, inner, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>Hello &lt;b&gt;Ana&lt;/b&gt;</p>", inner);
        Assert.Contains("<a href=\"https://x.test/invite?a=1&amp;b=2\">Join</a>", inner);
        Assert.Contains("styled", inner);
    }

    [Fact]
    public async Task Removing_a_tenant_removes_its_key_ring_with_its_data()
    {
        if (!TestDatabase.IsPostgres)
        {
            // SQLite: the key ring lives in the tenant's own file, which removal deletes.
            var tenant = await CreateTenantAsync();
            await InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<ISecretProtector>().Protect("x")));
            var file = Path.Combine(Factory.DataPath, "Sites", tenant.Name, "studio.db");
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
                Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dataprotection_keys"));
            var service = Factory.Get<TenantService>();
            await service.SetEnabledAsync(tenant.Name, enabled: false);
            await service.RemoveAsync(tenant.Name);
            Assert.False(File.Exists(file));
            return;
        }
        var ownDatabase = "studio_own_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE {ownDatabase}");
        }
        try
        {
            var own = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Database = ownDatabase }.ConnectionString;
            var tenant = await CreateTenantAsync(configure: r => r with { ConnectionString = own });
            await InTenantAsync(tenant.Name, sp => Task.FromResult(sp.GetRequiredService<ISecretProtector>().Protect("x")));
            await using (var connection = new NpgsqlConnection(own))
                Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dataprotection_keys"));

            var service = Factory.Get<TenantService>();
            await service.SetEnabledAsync(tenant.Name, enabled: false);
            await service.RemoveAsync(tenant.Name);
            await using (var connection = new NpgsqlConnection(own))
                Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'dataprotection_keys'"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {ownDatabase} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task A_tenants_own_connection_string_is_stored_encrypted_and_a_plaintext_row_is_encrypted_on_the_next_start()
    {
        using var data = new TestDatabase();
        string? ownDatabase = null;
        try
        {
            string connectionString;
            if (TestDatabase.IsPostgres)
            {
                ownDatabase = "studio_own_" + Guid.NewGuid().ToString("N")[..12];
                await using (var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString))
                {
                    await admin.OpenAsync();
                    await admin.ExecuteAsync($"CREATE DATABASE {ownDatabase}");
                }
                connectionString = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Database = ownDatabase }.ConnectionString;
            }
            else
            {
                // SQLite has no own databases (each tenant has its file); the store's encryption is the same.
                connectionString = "Data Source=not-used-on-sqlite.db;Password=s3cret-on-disk";
            }

            var name = NewName();
            await using (var first = new StudioFactory(data))
            {
                var service = first.Get<TenantService>();
                if (TestDatabase.IsPostgres)
                {
                    await service.CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = ["Studio.Hello"], ConnectionString = connectionString });
                    Assert.DoesNotContain(ownDatabase!, await RawRowAsync(first, name));
                    Assert.Contains("enc:v1:", await RawRowAsync(first, name));
                    Assert.Equal(connectionString, (await first.Get<ITenantStore>().FindAsync(name))!.ConnectionString);
                    await GetStringAsync(first.ClientFor($"{name}.test"), "hello");
                }
                else
                {
                    await service.CreateAsync(new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = ["Studio.Hello"] });
                }

                // A row as an earlier version wrote it: the connection string in clear.
                await using var connection = await first.Get<StudioDatabase>().Platform.OpenConnectionAsync();
                var row = JsonNode.Parse(await RawRowAsync(first, name))!;
                row["connectionString"] = connectionString;
                await connection.ExecuteAsync("UPDATE tenants SET data = @data WHERE name = @name", new { data = row.ToJsonString(), name });
                Assert.Contains(connectionString, await RawRowAsync(first, name));
            }

            await using var second = new StudioFactory(data);
            _ = second.Server;
            var raw = await RawRowAsync(second, name);
            Assert.DoesNotContain("s3cret", raw);
            Assert.DoesNotContain(connectionString, raw);
            Assert.Contains("enc:v1:", raw);
            Assert.Equal(connectionString, (await second.Get<ITenantStore>().FindAsync(name))!.ConnectionString);
            Assert.Equal(connectionString, second.Shells.Table.ByName[name].ConnectionString);
            await GetStringAsync(second.ClientFor($"{name}.test"), "hello"); // still opens (its own database on PostgreSQL)
            second.Logs.AssertClean(0, [], "restart");
        }
        finally
        {
            if (ownDatabase is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(TestDatabase.AdminConnectionString);
                await admin.OpenAsync();
                await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {ownDatabase} WITH (FORCE)");
            }
        }
    }
}
