using System.Collections.Frozen;

namespace Studio.Host.Tenancy;

/// <summary>
/// Immutable lookup from (host, first path segment) to tenant. Built once per change and swapped atomically,
/// so requests never take a lock. A lookup costs a few dictionary probes whatever the number of tenants.
/// </summary>
/// <remarks>
/// Match order: exact host (with port, then without) with prefix, then without prefix; then wildcard hosts from
/// the most specific suffix; then, on the Default tenant's hosts only, tenants that have a prefix but no host;
/// then the Default tenant. Anything else is an unknown host.
/// </remarks>
public sealed class TenantTable
{
    private readonly FrozenDictionary<string, HostEntry> _hosts;
    private readonly FrozenDictionary<string, HostEntry> _wildcards;
    private readonly FrozenDictionary<string, TenantRecord> _prefixOnly;
    private readonly FrozenSet<string> _defaultHosts;
    private readonly TenantRecord? _default;

    /// <summary>An empty table (before the store is loaded).</summary>
    public static TenantTable Empty { get; } = new([], []);

    /// <summary>Builds the table from all tenant records.</summary>
    /// <param name="tenants">Every registered tenant.</param>
    /// <param name="defaultTenantHosts">Hosts the Default tenant answers on; empty makes it a catch-all.</param>
    public TenantTable(IEnumerable<TenantRecord> tenants, IReadOnlyCollection<string> defaultTenantHosts)
    {
        var hosts = new Dictionary<string, HostEntry>(StringComparer.OrdinalIgnoreCase);
        var wildcards = new Dictionary<string, HostEntry>(StringComparer.OrdinalIgnoreCase);
        var prefixOnly = new Dictionary<string, TenantRecord>(StringComparer.OrdinalIgnoreCase);
        var all = new Dictionary<string, TenantRecord>(StringComparer.Ordinal);
        foreach (var tenant in tenants)
        {
            all[tenant.Name] = tenant;
            if (tenant.IsDefault)
            {
                _default = tenant;
                continue;
            }
            if (tenant.Hosts.Count == 0 && tenant.Prefix is not null)
                prefixOnly[tenant.Prefix] = tenant;
            foreach (var host in tenant.Hosts)
            {
                var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
                var map = wildcard ? wildcards : hosts;
                var key = wildcard ? host[2..] : host;
                if (!map.TryGetValue(key, out var entry))
                    map[key] = entry = new HostEntry();
                entry.Add(tenant);
            }
        }

        _hosts = hosts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _wildcards = wildcards.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _prefixOnly = prefixOnly.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _defaultHosts = defaultTenantHosts.Select(TenantNames.NormalizeHost).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        ByName = all.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every tenant by name.</summary>
    public FrozenDictionary<string, TenantRecord> ByName { get; }

    /// <summary>Finds the tenant for a request, or null for an unknown host.</summary>
    /// <param name="host">Host name without port, as the client sent it.</param>
    /// <param name="port">Port the client used, or null.</param>
    /// <param name="path">Request path, used for the prefix.</param>
    public TenantRecord? Match(string host, int? port, ReadOnlySpan<char> path)
    {
        var segment = FirstSegment(path);

        if (port is not null && MatchWithPort(host, port.Value, segment) is { } t1)
            return t1;
        if (_hosts.TryGetValue(host, out var exact) && exact.Match(segment) is { } t2)
            return t2;

        // Wildcards: a.b.example.com tries b.example.com, then example.com — most specific first.
        for (var dot = host.IndexOf('.'); dot >= 0; dot = host.IndexOf('.', dot + 1))
            if (_wildcards.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(host.AsSpan(dot + 1), out var wild)
                && wild.Match(segment) is { } t3)
                return t3;

        if (_default is null || (_defaultHosts.Count > 0 && !_defaultHosts.Contains(host)))
            return null;
        if (!segment.IsEmpty && _prefixOnly.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out var prefixed))
            return prefixed;
        return _default;
    }

    private TenantRecord? MatchWithPort(string host, int port, ReadOnlySpan<char> segment)
    {
        // "host:port" is composed on the stack: every request on a non-default port asks, and most find nothing.
        if (host.Length > 256)
            return null; // longer than any valid host name
        Span<char> key = stackalloc char[host.Length + 6];
        host.CopyTo(key);
        key[host.Length] = ':';
        port.TryFormat(key[(host.Length + 1)..], out var digits, default, System.Globalization.CultureInfo.InvariantCulture);
        return _hosts.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key[..(host.Length + 1 + digits)], out var entry)
            ? entry.Match(segment)
            : null;
    }

    private static ReadOnlySpan<char> FirstSegment(ReadOnlySpan<char> path)
    {
        if (path.StartsWith("/"))
            path = path[1..];
        var end = path.IndexOf('/');
        return end < 0 ? path : path[..end];
    }

    /// <summary>The tenants sharing one host name, with or without prefixes.</summary>
    private sealed class HostEntry
    {
        private TenantRecord? _withoutPrefix;
        private Dictionary<string, TenantRecord>? _byPrefix;

        public void Add(TenantRecord tenant)
        {
            if (tenant.Prefix is null)
                _withoutPrefix = tenant;
            else
                (_byPrefix ??= new(StringComparer.OrdinalIgnoreCase))[tenant.Prefix] = tenant;
        }

        public TenantRecord? Match(ReadOnlySpan<char> segment)
        {
            if (_byPrefix is not null && !segment.IsEmpty
                && _byPrefix.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(segment, out var tenant))
                return tenant;
            return _withoutPrefix;
        }
    }
}
