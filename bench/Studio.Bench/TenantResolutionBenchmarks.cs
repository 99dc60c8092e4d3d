using BenchmarkDotNet.Attributes;
using Studio.Host.Tenancy;

namespace Studio.Bench;

/// <summary>
/// <see cref="TenantTable.Match"/> — the lookup every request makes — with 10 and with 10,000 registered tenants.
/// The target is the same kind of tenant in both tables (the last one of its kind), so only the table size differs.
/// </summary>
[MemoryDiagnoser]
public class TenantResolutionBenchmarks
{
    private static readonly string[] DefaultHosts = ["localhost", "127.0.0.1", "[::1]"];
    private TenantTable _table = TenantTable.Empty;
    private string _exactHost = "";
    private string _wildcardHost = "";
    private string _prefixPath = "";
    private string _sharedHostPrefixPath = "";

    [Params(10, 10_000)]
    public int Tenants { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _table = new TenantTable(BenchTenants.CreateAll(Tenants), DefaultHosts);
        _exactHost = $"studio-{BenchTenants.Last(Tenants, 5):D5}.example.com";
        _wildcardHost = $"app.studio-{BenchTenants.Last(Tenants, 7):D5}.example.net";
        _prefixPath = $"/studio-{BenchTenants.Last(Tenants, 8):D5}/hello";
        _sharedHostPrefixPath = $"/studio-{BenchTenants.Last(Tenants, 9):D5}/hello";
        // A benchmark that silently resolved to the wrong tenant (or to none) would measure the wrong path.
        Expect(ExactHost(), _exactHost.Split('.')[0]);
        Expect(ExactHostWithPort(), _exactHost.Split('.')[0]);
        Expect(WildcardHost(), _wildcardHost.Split('.')[1]);
        Expect(Prefix(), _prefixPath.Split('/')[1]);
        Expect(SharedHostPrefix(), _sharedHostPrefixPath.Split('/')[1]);
        if (UnknownHost() is not null)
            throw new InvalidOperationException("An unknown host resolved to a tenant.");
    }

    [Benchmark(Description = "exact host")]
    public TenantRecord? ExactHost() => _table.Match(_exactHost, null, "/");

    [Benchmark(Description = "exact host, explicit port")]
    public TenantRecord? ExactHostWithPort() => _table.Match(_exactHost, 8080, "/");

    [Benchmark(Description = "wildcard host")]
    public TenantRecord? WildcardHost() => _table.Match(_wildcardHost, null, "/");

    [Benchmark(Description = "prefix on platform host")]
    public TenantRecord? Prefix() => _table.Match("localhost", null, _prefixPath);

    [Benchmark(Description = "prefix on shared host")]
    public TenantRecord? SharedHostPrefix() => _table.Match(BenchTenants.SharedHost, null, _sharedHostPrefixPath);

    [Benchmark(Description = "unknown host")]
    public TenantRecord? UnknownHost() => _table.Match("nobody.unknown.example.org", null, "/");

    private static void Expect(TenantRecord? actual, string name)
    {
        if (actual?.Name != name)
            throw new InvalidOperationException($"Expected tenant '{name}', matched '{actual?.Name ?? "none"}'.");
    }
}
