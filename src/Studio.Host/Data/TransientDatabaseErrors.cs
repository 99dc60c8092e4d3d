using System.Data.Common;

namespace Studio.Host.Data;

/// <summary>Database failures that say "not now" rather than "this is broken".</summary>
public static class TransientDatabaseErrors
{
    /// <summary>True for connection failures, timeouts and server shutdowns, on either engine.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        Npgsql.NpgsqlException npgsql => npgsql.IsTransient
            || npgsql is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08003" or "08001" },
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        TimeoutException => true,
        DbException { InnerException: { } inner } => IsTransient(inner),
        _ => exception.InnerException is { } next && IsTransient(next),
    };

    /// <summary>
    /// Pooled connections to a PostgreSQL server that restarted are all dead; without this, each of them would fail
    /// one more request before the pool notices.
    /// </summary>
    public static void ForgetBrokenConnections(Exception exception)
    {
        if (exception is Npgsql.NpgsqlException || exception.InnerException is Npgsql.NpgsqlException)
            Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
