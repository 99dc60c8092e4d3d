using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Studio.Data;

namespace Studio.Host.Platform;

/// <summary>One table of a tenant's database in an export: its columns and its rows (values in column order).</summary>
public sealed record TableDump(string Name, IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows);

/// <summary>
/// Reads every table of a tenant's database (SQLite file, PostgreSQL schema or own database) as JSON values, and
/// writes them back. Values: null, strings, numbers, booleans; instants as ISO-8601 strings; bytes as
/// <c>{"$base64": "…"}</c>. Writing converts each value to the target column's type.
/// </summary>
public static class TenantDataTransfer
{
    /// <summary>Every table with all its rows, in an order where a table comes after those it references.</summary>
    public static async Task<IReadOnlyList<TableDump>> ReadAllAsync(ITenantDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var tables = await TablesInOrderAsync(connection, database.Dialect, null, cancellationToken);
        var result = new List<TableDump>(tables.Count);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {SqlNames.Quote(table)}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            var rows = new List<JsonElement[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new JsonElement[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                    row[i] = ToJson(reader.IsDBNull(i) ? null : reader.GetValue(i));
                rows.Add(row);
            }
            result.Add(new TableDump(table, columns, rows));
        }
        return result;
    }

    /// <summary>
    /// Replaces the rows of every dumped table (which must exist) with the dumped ones, in one transaction: on any
    /// error nothing is changed.
    /// </summary>
    public static async Task ReplaceAllAsync(ITenantDatabase database, IReadOnlyList<TableDump> dumps, IStringLocalizer localizer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Dialect == SqlDialect.Sqlite)
            await ExecuteAsync(connection, transaction, "PRAGMA defer_foreign_keys = ON", cancellationToken);
        var order = await TablesInOrderAsync(connection, database.Dialect, transaction, cancellationToken);
        var missing = dumps.Select(d => d.Name).Except(order, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException(localizer["The export has tables this platform does not create for the tenant: {0}.", string.Join(", ", missing)]);
        var byName = dumps.ToDictionary(d => d.Name, StringComparer.Ordinal);
        // Children first when emptying, parents first when filling, so foreign keys hold at every step.
        foreach (var table in order.AsEnumerable().Reverse())
            await ExecuteAsync(connection, transaction, $"DELETE FROM {SqlNames.Quote(table)}", cancellationToken);
        foreach (var table in order)
        {
            if (!byName.TryGetValue(table, out var dump) || dump.Rows.Count == 0)
                continue;
            var types = await ColumnTypesAsync(connection, database.Dialect, transaction, table, cancellationToken);
            var unknown = dump.Columns.Where(c => !types.ContainsKey(c)).ToList();
            if (unknown.Count > 0)
                throw new InvalidDataException(localizer["The table '{0}' of the export has columns this platform does not have: {1}.", table, string.Join(", ", unknown)]);
            var sql = $"INSERT INTO {SqlNames.Quote(table)} ({string.Join(", ", dump.Columns.Select(SqlNames.Quote))}) VALUES ("
                + string.Join(", ", dump.Columns.Select((c, i) => Placeholder(database.Dialect, types[c], i))) + ")";
            foreach (var row in dump.Rows)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                for (var i = 0; i < dump.Columns.Count; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@p" + i;
                    parameter.Value = FromJson(row[i], database.Dialect, types[dump.Columns[i]]) ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            if (database.Dialect == SqlDialect.Postgres)
                await ResetSequencesAsync(connection, transaction, table, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Placeholder(SqlDialect dialect, string type, int index) =>
        dialect == SqlDialect.Postgres && type is "json" or "jsonb" or "uuid" or "USER-DEFINED" or "ARRAY" or "interval"
            ? $"CAST(@p{index} AS {(type is "USER-DEFINED" or "ARRAY" ? "text" : type)})"
            : "@p" + index;

    private static JsonElement ToJson(object? value) => value switch
    {
        null => JsonSerializer.SerializeToElement<object?>(null),
        DateTime d => JsonSerializer.SerializeToElement(d.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset d => JsonSerializer.SerializeToElement(d.ToString("O", CultureInfo.InvariantCulture)),
        byte[] bytes => JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["$base64"] = Convert.ToBase64String(bytes) }),
        string or bool or long or int or short or byte or decimal or double or float => JsonSerializer.SerializeToElement(value, value.GetType()),
        Guid g => JsonSerializer.SerializeToElement(g.ToString()),
        _ => JsonSerializer.SerializeToElement(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static object? FromJson(JsonElement value, SqlDialect dialect, string type)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$base64", out var b64))
            return Convert.FromBase64String(b64.GetString()!);
        if (dialect == SqlDialect.Sqlite)
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.GetDouble(),
                JsonValueKind.True => 1L,
                JsonValueKind.False => 0L,
                _ => value.GetRawText(),
            };
        return type switch
        {
            "bigint" => value.GetInt64(),
            "integer" => value.GetInt32(),
            "smallint" => value.GetInt16(),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : value.GetInt64() != 0,
            "numeric" => value.GetDecimal(),
            "double precision" => value.GetDouble(),
            "real" => value.GetSingle(),
            "timestamp with time zone" => DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            "timestamp without time zone" => DateTime.SpecifyKind(DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), DateTimeKind.Unspecified),
            "date" => DateOnly.FromDateTime(DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture)),
            _ => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
        };
    }

    /// <summary>Base tables of the database (PostgreSQL: of the connection's schema), referenced tables first.</summary>
    private static async Task<IReadOnlyList<string>> TablesInOrderAsync(DbConnection connection, SqlDialect dialect, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        var references = new List<(string Child, string Parent)>();
        if (dialect == SqlDialect.Postgres)
        {
            foreach (var row in await QueryAsync(connection, transaction,
                         "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name", cancellationToken))
                tables.Add(row[0]!);
            foreach (var row in await QueryAsync(connection, transaction,
                         "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c " +
                         "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()", cancellationToken))
                references.Add((Unquote(row[0]!), Unquote(row[1]!)));
        }
        else
        {
            foreach (var row in await QueryAsync(connection, transaction,
                         "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", cancellationToken))
                tables.Add(row[0]!);
            foreach (var table in tables)
                foreach (var row in await QueryAsync(connection, transaction, $"SELECT \"table\" FROM pragma_foreign_key_list('{table.Replace("'", "''")}')", cancellationToken))
                    references.Add((table, row[0]!));
        }
        // Depth-first: a table is listed after every table it references (self-references ignored).
        var ordered = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string table)
        {
            if (!seen.Add(table))
                return;
            foreach (var (_, parent) in references.Where(r => r.Child == table && r.Parent != table && tables.Contains(r.Parent)))
                Visit(parent);
            ordered.Add(table);
        }
        foreach (var table in tables)
            Visit(table);
        return ordered;
    }

    private static string Unquote(string name)
    {
        var last = name.Split('.')[^1];
        return last.Trim('"');
    }

    private static async Task<Dictionary<string, string>> ColumnTypesAsync(DbConnection connection, SqlDialect dialect, DbTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var sql = dialect == SqlDialect.Postgres
            ? $"SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table.Replace("'", "''")}'"
            : $"SELECT name, type FROM pragma_table_info('{table.Replace("'", "''")}')";
        return (await QueryAsync(connection, transaction, sql, cancellationToken)).ToDictionary(r => r[0]!, r => r[1] ?? "", StringComparer.Ordinal);
    }

    private static async Task ResetSequencesAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken cancellationToken)
    {
        // Rows came with their ids: identity/serial columns must continue after the highest one.
        var quotedTable = SqlNames.Quote(table);
        foreach (var row in await QueryAsync(connection, transaction,
                     $"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table.Replace("'", "''")}' " +
                     "AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')", cancellationToken))
        {
            var column = row[0]!;
            await ExecuteAsync(connection, transaction,
                $"SELECT setval(pg_get_serial_sequence('{quotedTable.Replace("'", "''")}', '{column.Replace("'", "''")}'), " +
                $"COALESCE((SELECT MAX({SqlNames.Quote(column)}) FROM {quotedTable}), 0) + 1, false)", cancellationToken);
        }
    }

    private static async Task<List<string?[]>> QueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
