using Microsoft.Data.Sqlite;
using Studio.Data;

namespace Studio.Tests;

/// <summary>Instants read back from either database are the UTC instants written, whatever the server's time zone.</summary>
public sealed class StoredUtcTests
{
    private static readonly DateTime Instant = new(2026, 10, 25, 0, 30, 15, 123, DateTimeKind.Utc); // the night Paris falls back

    [Fact]
    public void Sqlite_text_written_by_UtcValue_reads_back_as_the_same_utc_instant()
    {
        var stored = SqlDialect.Sqlite.UtcValue(Instant);
        var read = StoredUtc.Read(stored);
        Assert.Equal(Instant, read);
        Assert.Equal(DateTimeKind.Utc, read.Kind);
    }

    [Fact]
    public void A_value_from_SQLites_own_date_reader_is_converted_and_a_raw_column_value_needs_no_conversion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT @v";
        command.Parameters.AddWithValue("@v", SqlDialect.Sqlite.UtcValue(Instant));
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        // GetDateTime parses "…Z" into the server's local time (a Local kind): read as it is, it would be wrong
        // on any server not on UTC. The raw value is the text, which StoredUtc reads as UTC.
        Assert.Equal(Instant, StoredUtc.Read(reader.GetValue(0)));
        Assert.Equal(Instant, StoredUtc.Read(reader.GetDateTime(0)));
    }

    [Fact]
    public void Kinds_and_offsets_are_honoured_and_nulls_are_nulls()
    {
        Assert.Equal(Instant, StoredUtc.Read(Instant.ToLocalTime()));
        Assert.Equal(Instant, StoredUtc.Read(DateTime.SpecifyKind(Instant, DateTimeKind.Unspecified)));
        Assert.Equal(Instant, StoredUtc.Read(new DateTimeOffset(Instant).ToOffset(TimeSpan.FromHours(-5))));
        Assert.Null(StoredUtc.ReadOrNull(DBNull.Value));
        Assert.Null(StoredUtc.ReadOrNull(null));
        Assert.Throws<InvalidCastException>(() => StoredUtc.Read(DBNull.Value));
        Assert.Throws<InvalidCastException>(() => StoredUtc.Read(42));
    }
}
