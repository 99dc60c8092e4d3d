using BenchmarkDotNet.Attributes;
using Studio.Host.Platform;
using Studio.Host.Tenancy;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Bench;

/// <summary>
/// The operator's tenant list query (<see cref="TenantAdministration.Query"/>: a scan of the in-memory table sorted by
/// name) over 10,000 tenants with plans, resellers and states spread over them: search, filters and paging, plus the
/// sort made once per table change.
/// </summary>
[MemoryDiagnoser]
public class TenantQueryBenchmarks
{
    private static readonly string[] Plans = ["free", "studio", "pro", "enterprise"];
    private TenantRecord[] _all = [];
    private TenantRecord[] _sorted = [];

    [Params(10_000)]
    public int Tenants { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _all = BenchTenants.CreateAll(Tenants).Select((t, i) => t with
        {
            Plan = Plans[i % Plans.Length],
            Reseller = i % 5 == 0 ? null : $"reseller-{i % 20}",
            State = i % 7 == 0 ? TenantState.Disabled : TenantState.Running,
        }).ToArray();
        _sorted = Sort();
        // A query that silently matched nothing would measure the wrong path.
        if (SearchFilterPage().Total == 0 || SearchHost().Total == 0 || FilterOnly().Total == 0)
            throw new InvalidOperationException("A benchmark query matched nothing.");
    }

    /// <summary>Search by a part of the name (or display name or host), first page.</summary>
    [Benchmark(Baseline = true)]
    public TenantPage SearchName() => TenantAdministration.Query(_sorted, new TenantQuery { Search = "studio-09" });

    /// <summary>Search a host suffix, a later page.</summary>
    [Benchmark]
    public TenantPage SearchHost() => TenantAdministration.Query(_sorted, new TenantQuery { Search = "example.net", Page = 5 });

    /// <summary>Search + state + plan + reseller, page 2 — what the list page does with every filter set.</summary>
    [Benchmark]
    public TenantPage SearchFilterPage() => TenantAdministration.Query(_sorted,
        new TenantQuery { Search = "studio-0", State = TenantState.Running, Plan = "pro", Reseller = "reseller-2", Page = 2, PageSize = 10 });

    /// <summary>Filters without search, last pages.</summary>
    [Benchmark]
    public TenantPage FilterOnly() => TenantAdministration.Query(_sorted, new TenantQuery { State = TenantState.Disabled, Plan = "studio", Page = 3 });

    /// <summary>No filter, the last page (the whole table counted).</summary>
    [Benchmark]
    public TenantPage LastPage() => TenantAdministration.Query(_sorted, new TenantQuery { Page = Tenants / 50 });

    /// <summary>Sorting the table by name: once per table change, not per query.</summary>
    [Benchmark]
    public TenantRecord[] Sort()
    {
        var sorted = (TenantRecord[])_all.Clone();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return sorted;
    }
}
