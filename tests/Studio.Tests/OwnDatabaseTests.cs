using Npgsql;
using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;

namespace Studio.Tests;

/// <summary>
/// A tenant can have a database of its own (PostgreSQL): its data lives there and nowhere in the platform's
/// database. On SQLite every tenant already has its own file, and asking for a connection string is refused.
/// </summary>
public sealed class OwnDatabaseTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    [Fact]
    public async Task Tenant_with_its_own_connection_string_keeps_its_data_in_that_database()
    {
        if (!TestDatabase.IsPostgres)
        {
            var refused = await Assert.ThrowsAsync<TenantValidationException>(() =>
                CreateTenantAsync(configure: r => r with { ConnectionString = "Data Source=elsewhere.db" }));
            Assert.Contains("only available when the platform runs on PostgreSQL", refused.Message);
            return;
        }

        var databaseName = "studio_own_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(TestDatabase.AdminConnectionString!, $"CREATE DATABASE {databaseName}");
        try
        {
            var own = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString) { Database = databaseName }.ConnectionString;
            var tenant = await CreateTenantAsync(["Studio.Hello"], r => r with { ConnectionString = own });
            var token = AntiforgeryToken(await GetStringAsync(tenant.Client, "hello"));
            using (var posted = await tenant.Client.PostAsync("hello", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Author"] = "Owner",
                ["Input.Message"] = "in my own database",
                ["__RequestVerificationToken"] = token,
            })))
                Assert.Equal(System.Net.HttpStatusCode.Redirect, posted.StatusCode);

            Assert.Equal(1L, await ScalarAsync(own, "SELECT COUNT(*) FROM hello_greetings WHERE message = 'in my own database'"));
            Assert.Equal(1L, await ScalarAsync(own, "SELECT COUNT(*) FROM studio_migrations WHERE feature_id = 'Studio.Hello'"));
            // Nothing of it in the platform's database: no schema was made for it there.
            await using var platform = await Factory.Get<Studio.Host.Data.StudioDatabase>().Platform.OpenConnectionAsync();
            await using var command = platform.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'tenant_{tenant.Name}'";
            Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(TestDatabase.AdminConnectionString!, $"DROP DATABASE IF EXISTS {databaseName} WITH (FORCE)");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
