using System.Net;
using Studio.Host.Tenancy;
using Studio.Localization;

namespace Studio.Host.Platform.Domains;

/// <summary>
/// What a custom host name may be, and when two host names overlap.
/// </summary>
/// <remarks>
/// Uniqueness rule: a host name belongs to one tenant at most, and so does every name a wildcard covers.
/// <c>*.example.com</c> covers every name ending in <c>.example.com</c>, at any depth (that is how
/// <see cref="TenantTable"/> matches), but not <c>example.com</c> itself. So, between two different tenants:
/// two exact names overlap when equal; an exact name and a wildcard overlap when the wildcard covers the name;
/// two wildcards overlap when one's suffix equals or ends with the other's. Refusing the "exact under a
/// foreign wildcard" case even though exact names win when routing keeps one owner per DNS zone: otherwise the
/// owner of <c>*.example.com</c> would silently lose <c>shop.example.com</c> to whoever else can put a TXT record
/// there. One tenant may hold overlapping names itself (<c>example.com</c>, <c>www.example.com</c>,
/// <c>*.example.com</c>). The platform's own hosts (Studio:DefaultTenantHosts) are never given out.
/// </remarks>
internal static class DomainRules
{
    /// <summary>Normalises input (case, spaces, trailing dot).</summary>
    public static string Normalize(string? host) => TenantNames.NormalizeHost(host ?? "");

    /// <summary>Null when acceptable, else why not (an English sentence to localize).</summary>
    public static string? Malformed(string host)
    {
        if (host.Length == 0)
            return Localizable.Text("Enter a host name, such as studio.example.com.");
        if (host.Contains(':') || host.StartsWith('['))
            return Localizable.Text("Enter the host name without a port or address, such as studio.example.com.");
        if (!TenantNames.IsValidHost(host) || host.Length > 253)
            return Localizable.Text("'{0}' is not a valid host name.");
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        var labels = name.Split('.');
        if (host.StartsWith("*.", StringComparison.Ordinal) && labels.Length < 2)
            return Localizable.Text("A wildcard needs a domain of at least two labels, such as *.example.com.");
        if (labels.Length < 2)
            return Localizable.Text("'{0}' is not a full host name: it needs a domain, such as studio.example.com.");
        if (IPAddress.TryParse(name, out _) || labels[^1].All(char.IsAsciiDigit))
            return Localizable.Text("'{0}' is an address, not a host name.");
        return null;
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> could name the same request host.</summary>
    public static bool Overlap(string a, string b)
    {
        a = StripPort(a);
        b = StripPort(b);
        var wildA = a.StartsWith("*.", StringComparison.Ordinal);
        var wildB = b.StartsWith("*.", StringComparison.Ordinal);
        var sa = wildA ? a[2..] : a;
        var sb = wildB ? b[2..] : b;
        return (wildA, wildB) switch
        {
            (false, false) => sa.Equals(sb, StringComparison.OrdinalIgnoreCase),
            (true, false) => Under(sb, sa),
            (false, true) => Under(sa, sb),
            (true, true) => sa.Equals(sb, StringComparison.OrdinalIgnoreCase) || Under(sa, sb) || Under(sb, sa),
        };
    }

    /// <summary>The host name without its port.</summary>
    public static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']');
            return end < 0 ? host : host[..(end + 1)];
        }
        var colon = host.IndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    private static bool Under(string name, string suffix) =>
        name.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase);
}
