using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Host;
using Studio.Host.Platform.Domains;
using Studio.Identity;
using Studio.Platform;
using Studio.Security;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>DNS as the tests want it: TXT values by record name.</summary>
public sealed class FakeDns : IDnsTxtResolver
{
    public ConcurrentDictionary<string, string[]> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(Records.TryGetValue(name, out var values) ? values : []);
}

/// <summary>
/// A host with stand-in DNS, a proxy at 10.9.0.1 and a proxy network 10.8.0.0/16, a SignIn budget of 3 an hour,
/// and the client address taken from a test header (TestServer has no real connection).
/// </summary>
public class DomainsStudioFactory : StudioFactory
{
    public const string AddressHeader = "X-Test-Remote-Address";
    public const string Proxy = "10.9.0.1";
    public const string ProxyInNetwork = "10.8.3.4";

    public DomainsStudioFactory() { }

    internal DomainsStudioFactory(TestDatabase shared) : base(shared) { }

    public FakeDns Dns { get; } = new();

    protected virtual TimeSpan PollInterval => TimeSpan.FromSeconds(2);

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Studio:ForwardedHeaders:KnownProxies:0"] = Proxy;
        settings["Studio:ForwardedHeaders:KnownNetworks:0"] = "10.8.0.0/16";
        settings[$"Studio:RateLimits:{RateLimitPolicies.SignIn}:PermitLimit"] = "3";
        settings[$"Studio:RateLimits:{RateLimitPolicies.SignIn}:Window"] = "01:00:00";
        settings["Studio:ChangePollInterval"] = PollInterval.ToString();
        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IDnsTxtResolver>(Dns);
            services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>();
        });
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(AddressHeader, out var address))
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>A second instance on the same data that looks for changes very often.</summary>
public sealed class FastPollDomainsFactory(TestDatabase shared) : DomainsStudioFactory(shared)
{
    protected override TimeSpan PollInterval => TimeSpan.FromMilliseconds(20);
}

/// <summary>
/// Custom domains: uniqueness (exact and wildcard overlaps), DNS TXT verification, primary-host redirects,
/// forwarded headers from known proxies only, the owner's page, and isolation between tenants.
/// </summary>
public sealed class DomainsTests(DomainsStudioFactory factory) : StudioTest<DomainsStudioFactory>(factory)
{
    private static readonly PlatformActor Operator = new("op-1", "Operator One");

    private Task<T> AsTenant<T>(string tenant, Func<ITenantDomains, Task<T>> work) =>
        Factory.InTenantAsync(tenant, sp => work(sp.GetRequiredService<ITenantDomains>()));

    private Task AsTenant(string tenant, Func<ITenantDomains, Task> work) =>
        AsTenant(tenant, async d => { await work(d); return true; });

    private async Task<string> RefusedAsync(string tenant, Func<ITenantDomains, Task> work)
    {
        var e = await Assert.ThrowsAsync<PlatformValidationException>(() => AsTenant(tenant, work));
        return string.Join(" ", e.Errors);
    }

    private async Task<string> VerifiedHostAsync(string tenant, string host)
    {
        var txt = await AsTenant(tenant, d => d.RequestAsync(host));
        Factory.Dns.Records[txt.Name] = [txt.Value];
        var result = await AsTenant(tenant, d => d.VerifyAsync(host));
        Assert.Equal(DomainVerificationStatus.Verified, result.Status);
        return host;
    }

    private async Task<string> TenantOfAsync(string host, string path = "probe/info", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Factory.ClientFor(host).SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ProbeReport>())!.Tenant;
    }

    [Fact]
    public async Task A_host_name_is_refused_when_another_tenant_has_it_or_a_wildcard_overlaps()
    {
        var zone = NewName("z") + ".test";
        var a = await CreateTenantAsync([ProbeFeatures.Probe], r => r with { Hosts = [$"*.{zone}", $"shop.other-{zone}"] });
        var b = await CreateTenantAsync();

        // Exact: the same name, in any case.
        Assert.Contains("already used by another studio", await RefusedAsync(b.Name, d => d.RequestAsync($"SHOP.other-{zone}")));
        // An exact name under another tenant's wildcard, at any depth.
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.RequestAsync($"www.{zone}")));
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.RequestAsync($"a.b.{zone}")));
        // Wildcards overlapping a wildcard (narrower or the same) or covering another tenant's exact name.
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.RequestAsync($"*.sub.{zone}")));
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.RequestAsync($"*.{zone}")));
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.RequestAsync($"*.other-{zone}")));
        // The platform's own hosts.
        Assert.Contains("not a full host name", await RefusedAsync(b.Name, d => d.RequestAsync("localhost")));

        // The apex is not covered by *.zone; and the tenant holding the wildcard may add names under it.
        var apex = await AsTenant(b.Name, d => d.RequestAsync(zone));
        Assert.Equal($"_studio-verify.{zone}", apex.Name);
        Assert.StartsWith("studio-verify=", apex.Value);
        await AsTenant(a.Name, d => d.RequestAsync($"www.{zone}"));

        // Malformed input, with a message that says what is wrong.
        Assert.Contains("not a valid host name", await RefusedAsync(b.Name, d => d.RequestAsync("not a host")));
        Assert.Contains("without a port", await RefusedAsync(b.Name, d => d.RequestAsync($"x.{NewName()}.test:8080")));
        Assert.Contains("an address", await RefusedAsync(b.Name, d => d.RequestAsync("192.0.2.10")));
        Assert.Contains("wildcard needs", await RefusedAsync(b.Name, d => d.RequestAsync("*.com")));
        Assert.Contains("Enter a host name", await RefusedAsync(b.Name, d => d.RequestAsync("  ")));
        Assert.Contains("already one of this studio's", await RefusedAsync(b.Name, d => d.RequestAsync(b.Host)));
    }

    [Fact]
    public async Task A_host_reaches_the_tenant_only_once_its_TXT_record_carries_the_tenant_token()
    {
        var t = await CreateTenantAsync([ProbeFeatures.Probe]);
        var host = $"www.{NewName("v")}.test";
        var txt = await AsTenant(t.Name, d => d.RequestAsync(host));
        Assert.Equal($"_studio-verify.{host}", txt.Name);
        Assert.Matches("^studio-verify=[0-9a-f]{32}$", txt.Value);
        // Asking again gives the same token (the owner may already have created the record).
        Assert.Equal(txt, await AsTenant(t.Name, d => d.RequestAsync(host)));
        // A wildcard is proved at its domain.
        var wildcard = await AsTenant(t.Name, d => d.RequestAsync($"*.{host}"));
        Assert.Equal($"_studio-verify.{host}", wildcard.Name);
        Assert.NotEqual(txt.Value, wildcard.Value);

        // Missing record: not verified, the host is not served.
        Assert.Equal(DomainVerificationStatus.NotFound, (await AsTenant(t.Name, d => d.VerifyAsync(host))).Status);
        await GetStringAsync(Factory.ClientFor(host), "probe/info", HttpStatusCode.NotFound);
        Assert.DoesNotContain(host, (await RecordAsync(t.Name)).Hosts);

        // Wrong token (e.g. another tenant's, or a typo).
        Factory.Dns.Records[txt.Name] = ["v=spf1 -all", "studio-verify=0123456789abcdef0123456789abcdef"];
        Assert.Equal(DomainVerificationStatus.WrongToken, (await AsTenant(t.Name, d => d.VerifyAsync(host))).Status);
        await GetStringAsync(Factory.ClientFor(host), "probe/info", HttpStatusCode.NotFound);

        // Right token among others: the host is on the record and the next request reaches the tenant.
        Factory.Dns.Records[txt.Name] = ["v=spf1 -all", txt.Value];
        Assert.Equal(DomainVerificationStatus.Verified, (await AsTenant(t.Name, d => d.VerifyAsync(host))).Status);
        Assert.Contains(host, (await RecordAsync(t.Name)).Hosts);
        Assert.Equal(t.Name, await TenantOfAsync(host));
        var listed = await AsTenant(t.Name, d => d.ListAsync());
        Assert.Contains(listed, x => x.Host == host && x.Verified && !x.Primary);
        Assert.Contains(listed, x => x.Host == $"*.{host}" && !x.Verified);
    }

    [Fact]
    public async Task Requests_on_other_hosts_redirect_permanently_to_the_primary_keeping_path_and_query()
    {
        var t = await CreateTenantAsync([ProbeFeatures.Probe]);
        var primary = await VerifiedHostAsync(t.Name, $"www.{NewName("p")}.test");
        await AsTenant(t.Name, d => d.SetPrimaryAsync(primary));

        using (var response = await t.Client.GetAsync("probe/info?x=1&y=a%20b#frag"))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal($"http://{primary}/probe/info?x=1&y=a%20b", response.Headers.Location!.OriginalString);
        }
        // A form posted to an old host keeps its method.
        using (var post = await t.Client.PostAsync("probe/limited", null))
            Assert.Equal(HttpStatusCode.PermanentRedirect, post.StatusCode);
        // The primary answers; health answers on every host, never redirected.
        Assert.Equal(t.Name, await TenantOfAsync(primary));
        await GetStringAsync(t.Client, "health");
        // Behind a known TLS-terminating proxy the redirect stays on https.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "probe/info"))
        {
            request.Headers.Add(DomainsStudioFactory.AddressHeader, DomainsStudioFactory.Proxy);
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
            using var response = await t.Client.SendAsync(request);
            Assert.Equal($"https://{primary}/probe/info", response.Headers.Location!.OriginalString);
        }

        // A wildcard cannot be primary; clearing the primary stops the redirects.
        var wild = await VerifiedHostAsync(t.Name, $"*.{NewName("w")}.test");
        Assert.Contains("wildcard cannot be the primary", await RefusedAsync(t.Name, d => d.SetPrimaryAsync(wild)));
        Assert.Contains("not one of this studio's verified", await RefusedAsync(t.Name, d => d.SetPrimaryAsync("elsewhere.example.com")));
        await AsTenant(t.Name, d => d.SetPrimaryAsync(null));
        Assert.Equal(t.Name, await TenantOfAsync(t.Host));

        // Removing the primary host clears it.
        await AsTenant(t.Name, d => d.SetPrimaryAsync(primary));
        await AsTenant(t.Name, d => d.RemoveAsync(primary));
        Assert.Null((await RecordAsync(t.Name)).PrimaryHost);
        Assert.Equal(t.Name, await TenantOfAsync(t.Host));
        await GetStringAsync(Factory.ClientFor(primary), "probe/info", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_configured_proxies()
    {
        var a = await CreateTenantAsync([ProbeFeatures.Probe]);
        var b = await CreateTenantAsync([ProbeFeatures.Probe]);

        // A forged X-Forwarded-Host from anyone else does not reach another tenant.
        Assert.Equal(a.Name, await TenantOfAsync(a.Host, headers: [(DomainsStudioFactory.AddressHeader, "203.0.113.5"), ("X-Forwarded-Host", b.Host)]));
        Assert.Equal(a.Name, await TenantOfAsync(a.Host, headers: [("X-Forwarded-Host", b.Host)]));
        Assert.Equal(a.Name, await TenantOfAsync(a.Host, headers: [(DomainsStudioFactory.AddressHeader, "127.0.0.1"), ("X-Forwarded-Host", b.Host)]));
        // From a configured proxy, or a proxy in a configured network, it does.
        Assert.Equal(b.Name, await TenantOfAsync(a.Host, headers: [(DomainsStudioFactory.AddressHeader, DomainsStudioFactory.Proxy), ("X-Forwarded-Host", b.Host), ("X-Forwarded-For", "198.51.100.1")]));
        Assert.Equal(b.Name, await TenantOfAsync(a.Host, headers: [(DomainsStudioFactory.AddressHeader, DomainsStudioFactory.ProxyInNetwork), ("X-Forwarded-Host", b.Host), ("X-Forwarded-For", "198.51.100.1")]));
    }

    [Fact]
    public async Task The_rate_limiter_counts_the_forwarded_client_address_only_from_configured_proxies()
    {
        var t = await CreateTenantAsync([ProbeFeatures.Probe]);

        async Task<HttpStatusCode> PostAsync(string from, string? forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "probe/limited");
            request.Headers.Add(DomainsStudioFactory.AddressHeader, from);
            if (forwardedFor is not null)
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await t.Client.SendAsync(request);
            return response.StatusCode;
        }

        // Behind the proxy, each client has its own budget (not one budget for the proxy's address).
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, await PostAsync(DomainsStudioFactory.Proxy, "198.51.100.20"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync(DomainsStudioFactory.Proxy, "198.51.100.20"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(DomainsStudioFactory.Proxy, "198.51.100.21"));

        // A client that is not a proxy cannot buy a fresh budget with a made-up X-Forwarded-For.
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, await PostAsync("203.0.113.30", $"198.51.100.{100 + i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostAsync("203.0.113.30", "198.51.100.200"));
    }

    [Fact]
    public async Task A_tenant_cannot_verify_remove_or_take_another_tenants_host()
    {
        var a = await CreateTenantAsync([ProbeFeatures.Probe]);
        var b = await CreateTenantAsync([ProbeFeatures.Probe]);
        var pending = $"pending.{NewName()}.test";
        var txt = await AsTenant(a.Name, d => d.RequestAsync(pending));
        Factory.Dns.Records[txt.Name] = [txt.Value];
        var verified = await VerifiedHostAsync(a.Name, $"www.{NewName()}.test");

        // B even has A's token in DNS: a claim is per tenant, so B cannot verify A's pending host…
        Assert.Contains("Add the host name", await RefusedAsync(b.Name, d => d.VerifyAsync(pending)));
        // …and, asking for it itself, gets its own token, which the record does not carry.
        var own = await AsTenant(b.Name, d => d.RequestAsync(pending));
        Assert.NotEqual(txt.Value, own.Value);
        Assert.Equal(DomainVerificationStatus.WrongToken, (await AsTenant(b.Name, d => d.VerifyAsync(pending))).Status);
        // A verified host of A is taken for B; B cannot remove or mark A's hosts.
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.RequestAsync(verified)));
        Assert.Contains("not one of this studio's", await RefusedAsync(b.Name, d => d.RemoveAsync(verified)));
        Assert.Contains("not one of this studio's", await RefusedAsync(b.Name, d => d.SetPrimaryAsync(verified)));
        Assert.DoesNotContain(await AsTenant(b.Name, d => d.ListAsync()), x => x.Host == verified);

        // A still has both, and verifies its pending host.
        Assert.Equal(DomainVerificationStatus.Verified, (await AsTenant(a.Name, d => d.VerifyAsync(pending))).Status);
        Assert.Equal(a.Name, await TenantOfAsync(verified));
        Assert.Equal(a.Name, await TenantOfAsync(pending));
        // Now B's stale claim on it can no longer be verified even with its own token.
        Factory.Dns.Records[own.Name] = [own.Value];
        Assert.Contains("already used", await RefusedAsync(b.Name, d => d.VerifyAsync(pending)));
    }

    [Fact]
    public async Task The_platforms_own_hosts_are_configuration_not_domains()
    {
        var message = await RefusedAsync(Studio.Tenancy.TenantContext.DefaultName, d => d.RequestAsync($"ops.{NewName()}.test"));
        Assert.Contains("set in configuration", message);
        Assert.Contains("set in configuration", await RefusedAsync(Studio.Tenancy.TenantContext.DefaultName, d => d.SetPrimaryAsync("localhost")));
    }

    [Fact]
    public async Task The_last_host_of_a_tenant_without_prefix_cannot_be_removed()
    {
        var t = await CreateTenantAsync();
        Assert.Contains("at least one host name", await RefusedAsync(t.Name, d => d.RemoveAsync(t.Host)));
        Assert.Contains(t.Host, (await RecordAsync(t.Name)).Hosts);
    }

    [Fact]
    public async Task A_reseller_manages_only_its_own_tenants_domains()
    {
        var t = await CreateTenantAsync();
        var reseller = new PlatformActor("r-1", "Reseller", ResellerId: "acme");
        var domains = Factory.Get<IDomainAdministration>();
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => domains.ListAsync(reseller, t.Name));
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => domains.RequestAsync(reseller, t.Name, $"x.{NewName()}.test"));
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => domains.RemoveAsync(reseller, t.Name, t.Host));
        Assert.Contains(await domains.ListAsync(Operator, t.Name), d => d.Host == t.Host && d.Verified);
    }

    [Fact]
    public async Task Domain_changes_are_audited_in_the_tenant_and_for_the_operator()
    {
        var t = await CreateTenantAsync(["Studio.Audit"]);
        await ChangeFeaturesAsync(Studio.Tenancy.TenantContext.DefaultName, ["Studio.Audit"], []);
        var host = await VerifiedHostAsync(t.Name, $"www.{NewName()}.test");
        await Factory.Get<IDomainAdministration>().SetPrimaryAsync(Operator, t.Name, host);

        // On the primary host: the others now redirect there.
        var owner = await Factory.ClientAsAsync(t with { Host = host }, StudioRoles.Owner);
        var entries = await GetStringAsync(owner, "admin/audit/api/entries");
        Assert.Contains("domain.requested", entries);
        Assert.Contains("domain.verified", entries);
        Assert.Contains("domain.primary.changed", entries);
        Assert.Contains("Operator One", entries);
        var platform = await Factory.InTenantAsync(Studio.Tenancy.TenantContext.DefaultName, async sp =>
        {
            var log = sp.GetRequiredService<Studio.Modules.Audit.Services.AuditLog>();
            var (items, _) = await log.QueryAsync(new Studio.Modules.Audit.Services.AuditQuery(null, "domain.primary.changed", null, null, 1, 50), CancellationToken.None);
            return items;
        });
        Assert.Contains(platform, e => e.Target == t.Name);
    }

    [Fact]
    public async Task Only_the_studios_owners_and_admins_reach_the_domains_page_and_it_shows_the_record_to_create()
    {
        var t = await CreateTenantAsync(["Studio.Domains", ProbeFeatures.Probe]);
        using (var anonymous = await t.Client.GetAsync("admin/domains"))
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        var frontDesk = await Factory.ClientAsAsync(t, StudioRoles.FrontDesk);
        using (var denied = await frontDesk.GetAsync("admin/domains"))
        {
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/account/access-denied", denied.Headers.Location!.PathAndQuery);
        }
        // Where the feature is off, there is no page.
        var without = await Factory.AsAsync(await CreateTenantAsync(), StudioRoles.Owner);
        await GetStringAsync(without.Client, "admin/domains", HttpStatusCode.NotFound);

        var owner = await Factory.ClientAsAsync(t, StudioRoles.Owner);
        var page = await GetStringAsync(owner, "admin/domains");
        Assert.Contains(t.Host, page);

        var host = $"www.{NewName()}.test";
        async Task<string> PostAsync(string handler, string value)
        {
            var form = await GetStringAsync(owner, "admin/domains");
            using var response = await owner.PostAsync($"admin/domains?handler={handler}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Host"] = value, ["__RequestVerificationToken"] = AntiforgeryToken(form),
            }));
            var body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.Redirect ? await GetStringAsync(owner, "admin/domains") : body;
        }

        Assert.Contains("is not a valid host name", await PostAsync("Add", "not a host"));
        Assert.Contains("already one of this studio", await PostAsync("Add", t.Host));
        Assert.Contains("already used by another studio", await PostAsync("Add", without.Host));
        var added = await PostAsync("Add", host);
        Assert.Contains($"_studio-verify.{host}", added);
        var value = System.Text.RegularExpressions.Regex.Match(added, "studio-verify=[0-9a-f]{32}").Value;
        Assert.NotEmpty(value);
        Assert.Contains("no TXT record", await PostAsync("Verify", host));
        Factory.Dns.Records[$"_studio-verify.{host}"] = ["studio-verify=ffffffffffffffffffffffffffffffff"];
        Assert.Contains("does not have the value", await PostAsync("Verify", host));
        Factory.Dns.Records[$"_studio-verify.{host}"] = [value];
        Assert.Contains("is verified", await PostAsync("Verify", host));
        Assert.Equal(t.Name, await TenantOfAsync(host));
        var form = await GetStringAsync(owner, "admin/domains");
        using (var marked = await owner.PostAsync("admin/domains?handler=Primary", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Host"] = host, ["__RequestVerificationToken"] = AntiforgeryToken(form),
        })))
            Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        using (var redirected = await t.Client.GetAsync("probe/info"))
            Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        // The page now lives on the primary host too.
        owner = await Factory.ClientAsAsync(t with { Host = host }, StudioRoles.Owner);
        Assert.Contains("Primary", await GetStringAsync(owner, "admin/domains"));
        // Removing it (from its own host, which then stops answering) clears the primary.
        form = await GetStringAsync(owner, "admin/domains");
        using (var removed = await owner.PostAsync("admin/domains?handler=Remove", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Host"] = host, ["__RequestVerificationToken"] = AntiforgeryToken(form),
        })))
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null((await RecordAsync(t.Name)).PrimaryHost);
        Assert.DoesNotContain(host, (await RecordAsync(t.Name)).Hosts);
    }
}

/// <summary>Domain changes on one instance route requests on every instance.</summary>
public sealed class DomainsMultiInstanceTests
{
    [Fact]
    public async Task A_domain_verified_or_moved_on_one_instance_routes_on_the_other_at_the_next_request()
    {
        using var data = new TestDatabase();
        await using var first = new DomainsStudioFactory(data);
        await using var second = new FastPollDomainsFactory(data);
        _ = first.Server;
        _ = second.Server;
        var tenants = first.Get<Studio.Host.Tenancy.TenantService>();
        var a = "a" + Guid.NewGuid().ToString("N")[..12];
        var b = "b" + Guid.NewGuid().ToString("N")[..12];
        await tenants.CreateAsync(new() { Name = a, Hosts = [$"{a}.test"], Features = [ProbeFeatures.Probe] });
        await tenants.CreateAsync(new() { Name = b, Hosts = [$"{b}.test"], Features = [ProbeFeatures.Probe] });
        var domains = first.Get<IDomainAdministration>();
        var op = new PlatformActor("op", "Operator");

        static async Task<string?> TenantOfAsync(StudioFactory instance, string host)
        {
            using var response = await instance.ClientFor(host).GetAsync("probe/info");
            return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<ProbeReport>())!.Tenant : null;
        }

        // Verified on the first instance: served there at once, and by the second once it has seen the change.
        var host = $"shop.{a}.example";
        var txt = await domains.RequestAsync(op, a, host);
        first.Dns.Records[txt.Name] = [txt.Value];
        Assert.True((await domains.VerifyAsync(op, a, host)).Succeeded);
        Assert.Equal(a, await TenantOfAsync(first, host));
        await Eventually.ResultAsync(() => TenantOfAsync(second, host), t => t == a, "the second instance serves the verified host", TimeSpan.FromSeconds(10));

        // Moved to B: the first instance routes it to B on the next request, the second too once it has seen it.
        await domains.MoveAsync(op, host, a, b);
        Assert.Equal(b, await TenantOfAsync(first, host));
        await Eventually.ResultAsync(() => TenantOfAsync(second, host), t => t == b, "the second instance routes the moved host to B", TimeSpan.FromSeconds(10));
        Assert.Contains(await domains.ListAsync(op, b), d => d.Host == host && d.Verified && d.Txt is not null);
        Assert.DoesNotContain(await domains.ListAsync(op, a), d => d.Host == host);
        // A's own host is untouched on both.
        Assert.Equal(a, await TenantOfAsync(second, $"{a}.test"));

        first.Logs.AssertClean(0, [], "first instance");
        second.Logs.AssertClean(0, [], "second instance");
    }
}

/// <summary>The real resolver, against a tiny DNS server on loopback (no network here).</summary>
public sealed class DnsTxtResolverTests
{
    /// <summary>Answers TXT queries from <see cref="Records"/>; NXDOMAIN for anything else; silent when <see cref="Mute"/>.</summary>
    private sealed class LoopbackDns : IDisposable
    {
        private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
        private readonly CancellationTokenSource _stop = new();

        public LoopbackDns() => _ = Task.Run(ServeAsync);

        public Dictionary<string, string[][]> Records { get; } = new(StringComparer.OrdinalIgnoreCase);
        public bool Mute { get; set; }
        public int Queries;
        public string Endpoint => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try { received = await _udp.ReceiveAsync(_stop.Token); }
                catch (Exception) { return; }
                Interlocked.Increment(ref Queries);
                if (Mute)
                    continue;
                var reply = Answer(received.Buffer);
                if (reply is not null)
                    await _udp.SendAsync(reply, received.RemoteEndPoint);
            }
        }

        private byte[]? Answer(byte[] query)
        {
            // Header (12 bytes), then the question: labels, type, class.
            var labels = new List<string>();
            var at = 12;
            while (at < query.Length && query[at] != 0)
            {
                labels.Add(System.Text.Encoding.ASCII.GetString(query, at + 1, query[at]));
                at += query[at] + 1;
            }
            var questionEnd = at + 5;
            if (questionEnd > query.Length)
                return null;
            var name = string.Join('.', labels);
            var found = Records.TryGetValue(name, out var records);
            using var reply = new MemoryStream();
            reply.Write(query, 0, 2); // id
            reply.Write([0x81, (byte)(found ? 0x80 : 0x83)]); // response, recursion; NOERROR or NXDOMAIN
            reply.Write([0, 1, 0, (byte)(records?.Length ?? 0), 0, 0, 0, 0]);
            reply.Write(query, 12, questionEnd - 12);
            foreach (var strings in records ?? [])
            {
                var data = strings.SelectMany(s => new[] { (byte)s.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(s))).ToArray();
                reply.Write([0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, (byte)(data.Length >> 8), (byte)data.Length]);
                reply.Write(data);
            }
            return reply.ToArray();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _udp.Dispose();
        }
    }

    private static DnsTxtResolver Resolver(string server, TimeSpan timeout) =>
        new(Options.Create(new StudioOptions { Domains = new StudioDomainsOptions { DnsServers = [server], DnsTimeout = timeout } }));

    [Fact]
    public async Task It_reads_TXT_records_joining_each_records_strings_and_finds_none_for_an_unknown_name()
    {
        using var dns = new LoopbackDns();
        dns.Records["_studio-verify.shop.example.com"] = [["v=spf1 -all"], ["studio-verify=", "0123abcd"]];
        var resolver = Resolver(dns.Endpoint, TimeSpan.FromSeconds(2));

        var values = await resolver.ResolveTxtAsync("_studio-verify.shop.example.com");
        Assert.Equal(["v=spf1 -all", "studio-verify=0123abcd"], values);
        Assert.Empty(await resolver.ResolveTxtAsync("_studio-verify.nothing.example.com"));
        // No cache: a record created after a miss is seen at once.
        dns.Records["_studio-verify.nothing.example.com"] = [["studio-verify=later"]];
        Assert.Equal(["studio-verify=later"], await resolver.ResolveTxtAsync("_studio-verify.nothing.example.com"));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out()
    {
        using var dns = new LoopbackDns { Mute = true };
        var resolver = Resolver(dns.Endpoint, TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<TimeoutException>(() => resolver.ResolveTxtAsync("_studio-verify.slow.example.com"));
        Assert.True(dns.Queries >= 1);
    }
}
