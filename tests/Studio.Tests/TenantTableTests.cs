using Studio.Host.Tenancy;
using Studio.Tenancy;

namespace Studio.Tests;

/// <summary>Pure unit tests of the immutable resolution table (cf. Orchard's RunningShellTable tests).</summary>
public sealed class TenantTableTests
{
    private static readonly string[] DefaultHosts = ["localhost", "127.0.0.1", "[::1]"];

    private static TenantRecord Tenant(string name, string? prefix = null, params string[] hosts) =>
        new() { Name = name, Hosts = hosts, Prefix = prefix, State = TenantState.Running };

    private static readonly TenantRecord Default = new() { Name = TenantContext.DefaultName, State = TenantState.Running };

    private static string? Match(TenantTable table, string host, int? port = null, string path = "/") =>
        table.Match(host, port, path)?.Name;

    [Fact]
    public void Default_tenant_takes_its_hosts_and_nothing_else()
    {
        var table = new TenantTable([Default, Tenant("a", null, "a.example.com")], DefaultHosts);
        Assert.Equal("Default", Match(table, "localhost"));
        Assert.Equal("Default", Match(table, "127.0.0.1", 5000));
        Assert.Equal("Default", Match(table, "[::1]", 5000, "/anything"));
        Assert.Null(Match(table, "unknown.example.com"));
        Assert.Null(Match(table, "example.com"));
    }

    [Fact]
    public void Default_tenant_is_a_catch_all_when_it_has_no_hosts()
    {
        var table = new TenantTable([Default, Tenant("a", null, "a.example.com")], []);
        Assert.Equal("Default", Match(table, "whatever.example.org"));
        Assert.Equal("a", Match(table, "a.example.com"));
    }

    [Fact]
    public void Without_a_default_tenant_unknown_hosts_match_nothing()
    {
        var table = new TenantTable([Tenant("a", null, "a.example.com")], DefaultHosts);
        Assert.Null(Match(table, "localhost"));
        Assert.Equal("a", Match(table, "a.example.com"));
        Assert.Null(TenantTable.Empty.Match("localhost", null, "/"));
    }

    [Fact]
    public void Several_hosts_of_one_tenant_all_match()
    {
        var table = new TenantTable([Default, Tenant("a", null, "a.example.com", "studio-a.org", "www.studio-a.org")], DefaultHosts);
        Assert.Equal("a", Match(table, "a.example.com"));
        Assert.Equal("a", Match(table, "studio-a.org"));
        Assert.Equal("a", Match(table, "www.studio-a.org"));
        Assert.Null(Match(table, "shop.studio-a.org"));
    }

    [Fact]
    public void Host_names_match_case_insensitively()
    {
        var table = new TenantTable([Default, Tenant("a", "shop", "A.Example.COM")], ["LocalHost"]);
        Assert.Equal("a", Match(table, "a.example.com", null, "/SHOP/x"));
        Assert.Equal("Default", Match(table, "localhost"));
    }

    [Fact]
    public void Ports_exact_host_with_port_wins_and_port_less_host_matches_any_port()
    {
        var table = new TenantTable(
            [Default, Tenant("p8080", null, "example.com:8080"), Tenant("any", null, "example.com"), Tenant("only", null, "only.example.com:81")],
            DefaultHosts);
        Assert.Equal("p8080", Match(table, "example.com", 8080));
        Assert.Equal("any", Match(table, "example.com", 9090));
        Assert.Equal("any", Match(table, "example.com"));
        Assert.Equal("only", Match(table, "only.example.com", 81));
        Assert.Null(Match(table, "only.example.com", 82));
        Assert.Null(Match(table, "only.example.com"));
    }

    [Fact]
    public void IPv6_literal_hosts_with_and_without_port()
    {
        var table = new TenantTable([Default, Tenant("v6", null, "[2001:db8::1]", "[2001:db8::2]:8443")], DefaultHosts);
        Assert.Equal("v6", Match(table, "[2001:db8::1]"));
        Assert.Equal("v6", Match(table, "[2001:db8::1]", 80));
        Assert.Equal("v6", Match(table, "[2001:db8::2]", 8443));
        Assert.Null(Match(table, "[2001:db8::2]", 443));
        Assert.Equal("Default", Match(table, "[::1]", 8080));
        Assert.Null(Match(table, "[::2]"));
    }

    [Fact]
    public void Wildcards_match_any_depth_and_the_most_specific_suffix_wins()
    {
        var table = new TenantTable(
            [Default, Tenant("wide", null, "*.example.com"), Tenant("deep", null, "*.eu.example.com"), Tenant("exact", null, "www.eu.example.com")],
            DefaultHosts);
        Assert.Equal("wide", Match(table, "a.example.com"));
        Assert.Equal("wide", Match(table, "a.b.c.example.com"));
        Assert.Equal("deep", Match(table, "a.eu.example.com"));
        Assert.Equal("deep", Match(table, "x.y.eu.example.com"));
        Assert.Equal("exact", Match(table, "www.eu.example.com"));
        Assert.Equal("wide", Match(table, "eu.example.com"));
        Assert.Null(Match(table, "example.com"));
        Assert.Null(Match(table, "a.example.org"));
        Assert.Equal("wide", Match(table, "A.EXAMPLE.COM"));
    }

    [Fact]
    public void Prefix_is_only_the_first_path_segment_and_case_insensitive()
    {
        var table = new TenantTable(
            [Default, Tenant("root", null, "studio.com"), Tenant("one", "one", "studio.com"), Tenant("two", "two", "studio.com"), Tenant("solo", "solo")],
            DefaultHosts);
        Assert.Equal("one", Match(table, "studio.com", null, "/one"));
        Assert.Equal("one", Match(table, "studio.com", null, "/ONE/page"));
        Assert.Equal("two", Match(table, "studio.com", null, "/two/"));
        Assert.Equal("root", Match(table, "studio.com", null, "/three/one"));
        Assert.Equal("root", Match(table, "studio.com", null, "/onex"));
        Assert.Equal("root", Match(table, "studio.com", null, "/"));
        Assert.Equal("root", Match(table, "studio.com", null, ""));
        // Prefix-only tenants live under the Default tenant's hosts only.
        Assert.Equal("solo", Match(table, "localhost", null, "/solo/x"));
        Assert.Equal("solo", Match(table, "127.0.0.1", 5000, "/SOLO"));
        Assert.Equal("Default", Match(table, "localhost", null, "/x/solo"));
        Assert.Null(Match(table, "unknown.com", null, "/solo"));
        Assert.Equal("root", Match(table, "studio.com", null, "/solo"));
    }

    [Fact]
    public void Host_with_prefix_only_tenant_falls_through_to_nothing_without_prefix()
    {
        var table = new TenantTable([Default, Tenant("one", "one", "studio.com")], DefaultHosts);
        Assert.Equal("one", Match(table, "studio.com", null, "/one/x"));
        Assert.Null(Match(table, "studio.com", null, "/"));
        Assert.Null(Match(table, "studio.com", null, "/two"));
    }

    [Fact]
    public void ByName_lists_every_tenant()
    {
        var table = new TenantTable([Default, Tenant("a", null, "a.com"), Tenant("b", "b")], DefaultHosts);
        Assert.Equal(["Default", "a", "b"], table.ByName.Keys.Order(StringComparer.Ordinal));
    }
}
