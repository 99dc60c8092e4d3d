using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.Bench;

/// <summary>
/// Realistic tenant records for the benchmarks: a display name and brand each, one or two host names, wildcard
/// domains for some, a URL prefix for others (alone or on a shared host), one to three features.
/// </summary>
/// <remarks>
/// Every kind repeats every 10 tenants, so 10 tenants already contain one of each:
/// 0–5 own host (every third also www.), 6–7 wildcard domain plus its apex, 8 prefix only (on the platform's
/// hosts), 9 prefix on the shared host <see cref="SharedHost"/>.
/// </remarks>
internal static class BenchTenants
{
    public const string SharedHost = "studios.example.org";
    private static readonly string[] Features = ["Studio.Hello", "Studio.Bookings", "Studio.Sms"];

    public static TenantRecord Create(int i)
    {
        var name = $"studio-{i:D5}";
        var kind = i % 10;
        IReadOnlyList<string> hosts = kind switch
        {
            <= 5 when i % 3 == 0 => [$"{name}.example.com", $"www.{name}.example.com"],
            <= 5 => [$"{name}.example.com"],
            6 or 7 => [$"*.{name}.example.net", $"{name}.example.net"],
            8 => [],
            _ => [SharedHost],
        };
        var now = DateTime.UtcNow;
        return new TenantRecord
        {
            Name = name,
            DisplayName = $"Studio {i}",
            State = TenantState.Running,
            Hosts = hosts,
            Prefix = kind >= 8 ? name : null,
            // Copies, as a store would materialise them: no interned string shared between records.
            Features = Features.Take(1 + i % 3).Select(f => new string(f.AsSpan())).ToList(),
            Theme = i % 2 == 0 ? "Aurora" : "Midnight",
            Brand = new BrandSettings
            {
                DisplayName = $"Studio {i} Recording",
                PrimaryColor = $"#{i * 2654435761 % 0xFFFFFF:x6}",
                AccentColor = $"#{i * 40503 % 0xFFFFFF:x6}",
                Font = "system",
            },
            Culture = "en-GB",
            TimeZone = "Europe/London",
            Version = Guid.NewGuid().ToString("N"),
            CreatedUtc = now,
            UpdatedUtc = now,
        };
    }

    /// <summary>The Default tenant plus <paramref name="count"/> studios.</summary>
    public static List<TenantRecord> CreateAll(int count)
    {
        var all = new List<TenantRecord>(count + 1)
        {
            new() { Name = TenantContext.DefaultName, DisplayName = "Studio", State = TenantState.Running, Version = "1" },
        };
        for (var i = 0; i < count; i++)
            all.Add(Create(i));
        return all;
    }

    /// <summary>The highest index below <paramref name="count"/> whose tenant is of the given kind (i % 10).</summary>
    public static int Last(int count, int kind) => (count - 1 - kind) / 10 * 10 + kind;
}
