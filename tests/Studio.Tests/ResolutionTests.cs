using System.Net;
using System.Net.Http.Json;
using Studio.Host.Tenancy;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>A request reaches its tenant by host, wildcard host, host+port and prefix; unknown hosts get a plain 404.</summary>
public sealed class ResolutionTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly string[] Probe = [ProbeFeatures.Probe];

    private static async Task<ProbeReport> ProbeAsync(HttpClient client, string path = "probe/info")
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {client.BaseAddress}{path}: {(int)response.StatusCode} {Truncate(body)}");
        return (await response.Content.ReadFromJsonAsync<ProbeReport>())!;
    }

    [Fact]
    public async Task Probe_module_of_the_test_assembly_is_discovered()
    {
        var catalog = Factory.Get<Studio.Host.Modules.FeatureCatalog>();
        Assert.NotNull(catalog.Find(ProbeFeatures.Probe));
        Assert.Equal("Probe", catalog.Find(ProbeFeatures.Extra)!.ModuleName);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Exact_host_reaches_its_tenant_case_insensitively()
    {
        var a = await CreateTenantAsync(Probe);
        var b = await CreateTenantAsync(Probe);
        Assert.Equal(a.Name, (await ProbeAsync(a.Client)).Tenant);
        Assert.Equal(b.Name, (await ProbeAsync(b.Client)).Tenant);
        Assert.Equal(a.Name, (await ProbeAsync(Factory.ClientFor(a.Host.ToUpperInvariant()))).Tenant);
    }

    [Fact]
    public async Task Wildcard_host_matches_subdomains_and_the_most_specific_wins()
    {
        var domain = $"wild-{Guid.NewGuid():N}"[..17] + ".test";
        var wide = await CreateTenantAsync(Probe, r => r with { Hosts = [$"*.{domain}"] });
        var deep = await CreateTenantAsync(Probe, r => r with { Hosts = [$"*.deep.{domain}"] });
        var exact = await CreateTenantAsync(Probe, r => r with { Hosts = [$"www.deep.{domain}"] });

        Assert.Equal(wide.Name, (await ProbeAsync(Factory.ClientFor($"a.{domain}"))).Tenant);
        Assert.Equal(wide.Name, (await ProbeAsync(Factory.ClientFor($"x.y.z.{domain}"))).Tenant);
        Assert.Equal(deep.Name, (await ProbeAsync(Factory.ClientFor($"a.deep.{domain}"))).Tenant);
        Assert.Equal(deep.Name, (await ProbeAsync(Factory.ClientFor($"b.c.deep.{domain}"))).Tenant);
        Assert.Equal(exact.Name, (await ProbeAsync(Factory.ClientFor($"www.deep.{domain}"))).Tenant);
        // The bare domain is not covered by "*.domain".
        await GetStringAsync(Factory.ClientFor(domain), "/", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Prefix_only_tenant_answers_under_the_default_hosts_with_path_base()
    {
        var prefix = NewName("p");
        var tenant = await CreateTenantAsync(Probe, r => r with { Hosts = [], Prefix = prefix });
        var localhost = Factory.ClientFor("localhost");

        var report = await ProbeAsync(localhost, $"{prefix}/probe/info");
        Assert.Equal(tenant.Name, report.Tenant);
        Assert.Equal("/" + prefix, report.PathBase);
        // Case-insensitive prefix; only the first segment counts.
        Assert.Equal(tenant.Name, (await ProbeAsync(localhost, $"{prefix.ToUpperInvariant()}/probe/info")).Tenant);
        await GetStringAsync(localhost, $"other/{prefix}/probe/info", HttpStatusCode.NotFound);
        // Not on an unknown host.
        await GetStringAsync(Factory.ClientFor("elsewhere.test"), $"{prefix}/probe/info", HttpStatusCode.NotFound);
        // Links of its pages carry the prefix.
        var home = await GetStringAsync(localhost, $"{prefix}/");
        Assert.Contains($"href=\"/{prefix}/brand.css", home);
    }

    [Fact]
    public async Task Prefix_tenant_forms_post_and_redirect_under_its_prefix()
    {
        var prefix = NewName("p");
        var tenant = await CreateTenantAsync(["Studio.Hello"], r => r with { Hosts = [], Prefix = prefix });
        var client = Factory.ClientFor("localhost");
        var page = await GetStringAsync(client, $"{prefix}/hello");
        Assert.Contains($"href=\"/{prefix}/hello\"", page); // navigation links carry the prefix
        using var posted = await client.PostAsync($"{prefix}/hello", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Author"] = "Pat",
            ["Input.Message"] = "under a prefix",
            ["__RequestVerificationToken"] = AntiforgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/{prefix}/hello", posted.Headers.Location!.OriginalString);
        Assert.Contains("under a prefix", await GetStringAsync(client, $"{prefix}/hello"));
        Assert.Equal(tenant.Name, Factory.Shells.Resolve("localhost", null, $"/{prefix}/hello")!.Name);
    }

    [Fact]
    public async Task Tenants_sharing_one_host_are_told_apart_by_prefix()
    {
        var host = NewName("shared") + ".test";
        var root = await CreateTenantAsync(Probe, r => r with { Hosts = [host] });
        var one = await CreateTenantAsync(Probe, r => r with { Hosts = [host], Prefix = "one" });
        var two = await CreateTenantAsync(Probe, r => r with { Hosts = [host], Prefix = "two" });
        var client = Factory.ClientFor(host);

        Assert.Equal(root.Name, (await ProbeAsync(client)).Tenant);
        Assert.Equal(one.Name, (await ProbeAsync(client, "one/probe/info")).Tenant);
        Assert.Equal("/one", (await ProbeAsync(client, "one/probe/info")).PathBase);
        Assert.Equal(two.Name, (await ProbeAsync(client, "two/probe/info")).Tenant);
        Assert.Equal("", (await ProbeAsync(client)).PathBase);
    }

    [Fact]
    public async Task Host_with_port_matches_only_that_port()
    {
        var name = NewName();
        var tenant = await CreateTenantAsync(Probe, r => r with { Hosts = [$"{name}.test:8080"] }, name);
        Assert.Equal(tenant.Name, (await ProbeAsync(Factory.ClientFor($"{name}.test:8080"))).Tenant);
        await GetStringAsync(Factory.ClientFor($"{name}.test:9090"), "probe/info", HttpStatusCode.NotFound);
        await GetStringAsync(Factory.ClientFor($"{name}.test"), "probe/info", HttpStatusCode.NotFound);

        // A host without port matches every port.
        var any = await CreateTenantAsync(Probe);
        Assert.Equal(any.Name, (await ProbeAsync(Factory.ClientFor($"{any.Host}:5123"))).Tenant);
    }

    [Fact]
    public async Task Unknown_host_gets_a_plain_404_without_any_tenants_content()
    {
        var branded = await CreateTenantAsync(Probe, r => r with
        {
            DisplayName = "Secret Sound Lab",
            Brand = new Studio.Tenancy.BrandSettings { DisplayName = "Secret Sound Brand", PrimaryColor = "#123456" },
        });
        foreach (var path in new[] { "/", "/probe/info", "/brand.css", "/hello" })
        {
            using var response = await Factory.ClientFor("nobody-" + Guid.NewGuid().ToString("N")[..8] + ".test").GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Site not found", body);
            // Every tenant but the platform's own (whose name, "Studio", is the product's).
            foreach (var tenant in Factory.Shells.Table.ByName.Values.Where(t => !t.IsDefault))
            {
                Assert.DoesNotContain(tenant.Name, body, StringComparison.OrdinalIgnoreCase);
                if (tenant.DisplayName.Length > 0)
                    Assert.DoesNotContain(tenant.DisplayName, body, StringComparison.OrdinalIgnoreCase);
            }
            Assert.DoesNotContain("Secret Sound", body);
            Assert.DoesNotContain("#123456", body);
            Assert.DoesNotContain("theme.css", body);
        }
        Assert.Equal(branded.Name, (await ProbeAsync(branded.Client)).Tenant);
    }

    [Fact]
    public async Task Default_tenant_answers_on_localhost_and_loopback_addresses()
    {
        foreach (var host in new[] { "localhost", "LOCALHOST", "127.0.0.1", "localhost:5080", "[::1]", "[::1]:5080" })
        {
            var home = await GetStringAsync(Factory.ClientFor(host), "/");
            Assert.Contains("Welcome to Studio", home);
        }
        Assert.Contains(Factory.Shells.ActiveShells, s => s.Record.IsDefault);
    }
}
