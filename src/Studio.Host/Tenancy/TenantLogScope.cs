using System.Collections;

namespace Studio.Host.Tenancy;

/// <summary>
/// The logging scope a tenant's requests run in: one property, <c>Tenant</c> = the tenant's name, so every line
/// logged while serving it says whose it is. Made once per activation rather than as a dictionary per request.
/// </summary>
public sealed class TenantLogScope(string tenant) : IReadOnlyList<KeyValuePair<string, object>>
{
    private readonly KeyValuePair<string, object> _tenant = new("Tenant", tenant);

    public int Count => 1;

    public KeyValuePair<string, object> this[int index] =>
        index == 0 ? _tenant : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return _tenant;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>What text log formatters print for the scope.</summary>
    public override string ToString() => "Tenant:" + _tenant.Value;
}
