using System.Text.RegularExpressions;

namespace Studio.Host.Tenancy;

/// <summary>Rules for tenant names, prefixes and host names, shared by every way a tenant is created.</summary>
public static partial class TenantNames
{
    /// <summary>A slug: 2–40 lower-case letters, digits or dashes, starting with a letter.</summary>
    public static bool IsValidName(string name) => name == Studio.Tenancy.TenantContext.DefaultName || NameRegex().IsMatch(name);

    /// <summary>A URL prefix: one path segment of the same form.</summary>
    public static bool IsValidPrefix(string prefix) => NameRegex().IsMatch(prefix);

    /// <summary>A host name, optionally <c>*.</c> wildcard and <c>:port</c>.</summary>
    public static bool IsValidHost(string host) => HostRegex().IsMatch(host);

    /// <summary>Lower-cases a host name and trims it.</summary>
    public static string NormalizeHost(string host) => host.Trim().TrimEnd('.').ToLowerInvariant();

    [GeneratedRegex("^[a-z][a-z0-9-]{1,39}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$")]
    private static partial Regex HostRegex();
}
