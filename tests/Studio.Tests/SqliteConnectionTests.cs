using Dapper;
using Studio.Host.Data;

namespace Studio.Tests;

/// <summary>How a tenant's SQLite connections wait for a write lock held by another connection.</summary>
public sealed class SqliteConnectionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("studio-sqlite-").FullName;

    [Fact]
    public async Task A_tenant_connection_waits_for_a_lock_inside_SQLite_and_gets_the_write_once_it_is_released()
    {
        var database = new SqliteTenantDatabase(Path.Combine(_folder, "tenant.db"));
        await using (var setup = await database.OpenConnectionAsync())
            await setup.ExecuteAsync("PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY)");

        // SQLite's own busy handler retries within milliseconds of the lock's release; without it Microsoft.Data.Sqlite
        // retries by itself every 150 ms, which made concurrent bookings twenty times slower (bench/README.md §6).
        await using var connection = await database.OpenConnectionAsync();
        Assert.Equal(30_000, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));

        await using var holder = await database.OpenConnectionAsync();
        await using var held = await holder.BeginTransactionAsync();
        await holder.ExecuteAsync("INSERT INTO t DEFAULT VALUES", transaction: held);
        var waiting = Task.Run(async () =>
        {
            await using var writer = await database.OpenConnectionAsync();
            return await writer.ExecuteAsync("INSERT INTO t DEFAULT VALUES");
        });
        await held.CommitAsync();
        Assert.Equal(1, await waiting);
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
