using System.Net;
using DnsClient;
using Microsoft.Extensions.Options;
using Studio.Platform;

namespace Studio.Host.Platform.Domains;

/// <summary>
/// The real <see cref="IDnsTxtResolver"/>: asks DNS (DnsClient) — the servers in <c>Studio:Domains:DnsServers</c>
/// when set (<c>ip</c> or <c>ip:port</c>), else the system's resolvers (<c>/etc/resolv.conf</c> on Linux). No cache:
/// the owner has just created the record and clicks "verify"; a cached "none" would keep saying no.
/// </summary>
internal sealed class DnsTxtResolver(IOptions<StudioOptions> options) : IDnsTxtResolver
{
    private readonly Lazy<LookupClient> _client = new(() => Create(options.Value.Domains));

    public async Task<IReadOnlyList<string>> ResolveTxtAsync(string name, CancellationToken cancellationToken = default)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.Value.QueryAsync(name, QueryType.TXT, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            throw new TimeoutException($"DNS did not answer for {name}.", e);
        }
        // NXDOMAIN or an empty answer both mean "no record yet".
        return response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
    }

    private static LookupClient Create(StudioDomainsOptions settings)
    {
        var servers = settings.DnsServers.Select(Parse).ToArray();
        var lookup = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.Timeout = settings.DnsTimeout;
        lookup.Retries = 1;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        return new LookupClient(lookup);
    }

    private static NameServer Parse(string server) =>
        IPEndPoint.TryParse(server, out var endpoint)
            ? new NameServer(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
            : throw new FormatException($"Studio:Domains:DnsServers: '{server}' is not an address (ip or ip:port).");
}
