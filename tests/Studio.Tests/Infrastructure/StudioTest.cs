using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Host.Features;
using Studio.Host.Tenancy;

namespace Studio.Tests.Infrastructure;

/// <summary>A tenant made for one test, and a client whose requests carry its host name.</summary>
public sealed record TestTenant(string Name, string Host, HttpClient Client)
{
    public override string ToString() => Name;
}

/// <summary>
/// Base of integration tests: one host per test class, a fresh tenant per test, and a clean log. At the end of
/// each test, anything logged at Warning or above that the test did not declare with <see cref="ExpectLog"/>
/// fails it.
/// </summary>
public abstract partial class StudioTest<TFactory> : IClassFixture<TFactory>, IDisposable where TFactory : StudioFactory
{
    private readonly long _mark;
    private readonly List<ExpectedLog> _expected = [];

    protected StudioTest(TFactory factory)
    {
        Factory = factory;
        _ = factory.Server; // start the host before taking the mark: start-up is not this test's doing
        _mark = factory.Logs.Mark;
    }

    protected TFactory Factory { get; }

    /// <summary>Declares a log entry (Warning or above) this test causes on purpose.</summary>
    protected void ExpectLog(string category, LogLevel level, string messagePattern, bool required = true) =>
        _expected.Add(new ExpectedLog(category, level, messagePattern, required));

    /// <summary>Log entries of this test so far.</summary>
    protected IReadOnlyList<LogEntry> TestLogs => Factory.Logs.Since(_mark);

    /// <summary>A random, valid tenant name.</summary>
    protected static string NewName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Creates a running tenant on host <c>{name}.test</c> through the host's <see cref="TenantService"/>.</summary>
    protected async Task<TestTenant> CreateTenantAsync(IReadOnlyList<string>? features = null,
        Func<TenantCreateRequest, TenantCreateRequest>? configure = null, string? name = null)
    {
        name ??= NewName();
        var request = new TenantCreateRequest { Name = name, Hosts = [$"{name}.test"], Features = features ?? [] };
        if (configure is not null)
            request = configure(request);
        var record = await Factory.Get<TenantService>().CreateAsync(request);
        var host = record.Hosts.Count > 0 ? record.Hosts[0].Replace("*.", "any.") : "localhost";
        return new TestTenant(record.Name, host, Factory.ClientFor(host));
    }

    /// <summary>The stored record of a tenant.</summary>
    protected async Task<TenantRecord> RecordAsync(string name) =>
        await Factory.Get<ITenantStore>().FindAsync(name) ?? throw new InvalidOperationException($"No tenant {name}");

    /// <summary>Enables/disables features through the host's <see cref="FeatureManager"/>, which must succeed.</summary>
    protected async Task<TenantRecord> ChangeFeaturesAsync(string tenant, string[] enable, string[] disable, bool force = false)
    {
        var result = await Factory.Get<FeatureManager>().ChangeAsync(tenant, enable, disable, force);
        Assert.True(result.Succeeded, $"Feature change refused: {result.Error} (extra: {string.Join(", ", result.Plan?.Extra ?? [])})");
        return result.Tenant!;
    }

    /// <summary>Asserts a tenant's own storage (SQLite folder or PostgreSQL schema) does not exist.</summary>
    protected async Task AssertStorageGoneAsync(string name)
    {
        if (TestDatabase.IsPostgres)
        {
            await using var connection = await Factory.Get<Studio.Host.Data.StudioDatabase>().Platform.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'tenant_{name.Replace('-', '_')}'";
            Assert.Equal(0L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Assert.False(Directory.Exists(Path.Combine(Factory.DataPath, "Sites", name)), $"the data folder of {name} is left");
        }
    }

    /// <summary>GET and read the body, asserting the status.</summary>
    protected static async Task<string> GetStringAsync(HttpClient client, string url, System.Net.HttpStatusCode expected = System.Net.HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {client.BaseAddress}{url.TrimStart('/')}: expected {(int)expected}, got {(int)response.StatusCode}. Body: {Truncate(body)}");
        return body;
    }

    /// <summary>GET JSON, asserting 200.</summary>
    protected static async Task<JsonElement> GetJsonAsync(HttpClient client, string url) =>
        JsonDocument.Parse(await GetStringAsync(client, url)).RootElement.Clone();

    /// <summary>The antiforgery token of the first form in a page.</summary>
    protected static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryRegex().Match(html);
        Assert.True(match.Success, "The page has no antiforgery token: " + Truncate(html));
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    protected static string Truncate(string text) => text.Length <= 600 ? text : text[..600] + "…";

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
        var end = Factory.Logs.Mark;
        Factory.CheckedUpTo(end);
        Factory.Logs.AssertClean(_mark, _expected, GetType().Name);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryRegex();
}
