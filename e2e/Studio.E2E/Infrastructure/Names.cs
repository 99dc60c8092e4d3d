namespace Studio.E2E.Infrastructure;

/// <summary>Unique suffixes for tenant names and host names, so tests never collide.</summary>
public static class Names
{
    /// <summary>Eight lower-case hex digits: valid in tenant names, prefixes and host names.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..8];
}
