namespace Studio.Host;

/// <summary>Host-wide settings, bound from the <c>Studio</c> configuration section.</summary>
public sealed class StudioOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Studio";

    /// <summary>Folder for SQLite files and tenant assets (relative to the content root unless rooted).</summary>
    public string DataPath { get; set; } = "App_Data";

    /// <summary>
    /// A PostgreSQL connection string. When set, the platform and every tenant use PostgreSQL (each tenant in a
    /// schema of its own) instead of SQLite. This is the one setting that switches engines.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>
    /// Host names the Default (operator) tenant answers on; requests for other unknown hosts get 404. Leave empty
    /// to make the Default tenant a catch-all.
    /// </summary>
    public string[] DefaultTenantHosts { get; set; } = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>An active tenant with no request for this long is released (its memory freed).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How often idle tenants are looked for; null (the default): a quarter of <see cref="IdleTimeout"/>, between one
    /// second and one minute.
    /// </summary>
    public TimeSpan? IdleCheckInterval { get; set; }

    /// <summary>At most this many tenants are active at once; the least recently used is released first.</summary>
    public int MaxActiveTenants { get; set; } = 500;

    /// <summary>How often the host looks for tenant changes made by other instances.</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Create the demo studio tenant from <c>tenants/recipes/demo-studio.json</c> on first run.</summary>
    public bool SeedDemoTenant { get; set; } = true;

    /// <summary>Theme of tenants that name none.</summary>
    public string DefaultTheme { get; set; } = "Aurora";

    /// <summary>Folder of setup recipes (relative to the application's base directory unless rooted).</summary>
    public string RecipesPath { get; set; } = "recipes";

    /// <summary>Data Protection (key rings) settings: <c>Studio:DataProtection</c>.</summary>
    public StudioDataProtectionOptions DataProtection { get; set; } = new();

    /// <summary>Custom domains' DNS checks: <c>Studio:Domains</c>.</summary>
    public StudioDomainsOptions Domains { get; set; } = new();

    /// <summary>Reverse proxies whose <c>X-Forwarded-*</c> headers are believed: <c>Studio:ForwardedHeaders</c>.</summary>
    public StudioForwardedHeadersOptions ForwardedHeaders { get; set; } = new();

    /// <summary>The event outbox's delivery (every tenant): <c>Studio:Events</c>.</summary>
    public StudioEventsOptions Events { get; set; } = new();
}

/// <summary>The <c>Studio:Events</c> section: how each active tenant's dispatcher delivers its outbox.</summary>
public sealed class StudioEventsOptions
{
    /// <summary>How often an active tenant looks for due deliveries; zero turns the background dispatcher off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Attempts per handler before its delivery is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay after the first failed attempt; doubled after each further one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed delivery is held before another dispatcher may take it (a handler's longest run).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Events whose deliveries are all settled are removed after this long.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>The <c>Studio:Domains</c> section.</summary>
public sealed class StudioDomainsOptions
{
    /// <summary>DNS servers to ask for verification records (<c>ip</c> or <c>ip:port</c>); empty: the system's resolvers.</summary>
    public string[] DnsServers { get; set; } = [];

    /// <summary>How long one DNS query may take.</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// The <c>Studio:ForwardedHeaders</c> section. <c>X-Forwarded-For/Proto/Host</c> are honoured only on requests
/// whose connection comes from one of these; from anyone else they are ignored. Empty (the default): nobody.
/// </summary>
public sealed class StudioForwardedHeadersOptions
{
    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a chain are unwrapped (each must be known).</summary>
    public int ForwardLimit { get; set; } = 1;
}

/// <summary>The <c>Studio:DataProtection</c> section.</summary>
public sealed class StudioDataProtectionOptions
{
    /// <summary>
    /// The platform master key, 32 random bytes in base64 (<c>openssl rand -base64 32</c>). It encrypts every
    /// tenant's key ring and the platform store's secrets. Set it — the same on every instance — when several
    /// instances share the data; when empty, a key is generated once into <c>{DataPath}/keys/master.key</c>.
    /// </summary>
    public string? MasterKey { get; set; }
}
