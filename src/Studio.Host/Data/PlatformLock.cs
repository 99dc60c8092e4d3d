using System.Data.Common;
using Npgsql;
using Studio.Data;

namespace Studio.Host.Data;

/// <summary>
/// A named lock shared by every host instance on the same platform store, held while work runs on other
/// connections (so it cannot be a write transaction): PostgreSQL takes a session advisory lock on a connection
/// of its own; SQLite, whose instances share one machine and one data folder, locks a file next to the
/// platform database. Either is released by the server or the OS if the holder dies.
/// </summary>
public sealed class PlatformLock(StudioDatabase database, ILogger<PlatformLock> logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until this instance holds the lock <paramref name="name"/>; dispose the result to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken)
    {
        var platform = database.Platform;
        return platform is SqliteTenantDatabase sqlite
            ? await LockFileAsync(Path.Combine(Path.GetDirectoryName(sqlite.FilePath)!, name + ".lock"), cancellationToken)
            : await AdvisoryLockAsync(platform, name, cancellationToken);
    }

    private async Task<IAsyncDisposable> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waiting = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock on the file across processes (flock on Unix).
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!waiting)
                    logger.LogInformation("Waiting for another host instance to release {Lock}", path);
                waiting = true;
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    private static async Task<IAsyncDisposable> AdvisoryLockAsync(ITenantDatabase platform, string name, CancellationToken cancellationToken)
    {
        var connection = await platform.OpenConnectionAsync(cancellationToken);
        try
        {
            // Two-key form: a key space apart from the migration runner's one-key transaction locks.
            await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtext('studio_lock'), hashtext(@name || ':' || current_schema()))", name, cancellationToken);
            return new AdvisoryLock(connection, name);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "name";
        parameter.Value = name;
        command.Parameters.Add(parameter);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class FileLock(FileStream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class AdvisoryLock(DbConnection connection, string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext('studio_lock'), hashtext(@name || ':' || current_schema()))", name, CancellationToken.None);
            }
            catch (DbException)
            {
                // The session is broken, and with it the lock is gone; keep the connection out of the pool.
                if (connection is NpgsqlConnection npgsql)
                    NpgsqlConnection.ClearPool(npgsql);
            }
            await connection.DisposeAsync();
        }
    }
}
