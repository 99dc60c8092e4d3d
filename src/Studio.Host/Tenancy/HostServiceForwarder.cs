namespace Studio.Host.Tenancy;

/// <summary>
/// Turns the host's service registrations into the base of every tenant container. Host singletons are resolved
/// once and handed to tenants as instances — shared, and never disposed by a tenant; scoped, transient and
/// open-generic registrations are copied, so each tenant gets its own (per-tenant options, loggers, ...).
/// </summary>
public sealed class HostServiceForwarder
{
    private readonly IServiceCollection _hostServices;
    private readonly IServiceProvider _root;
    private readonly Lazy<IReadOnlyList<ServiceDescriptor>> _descriptors;

    public HostServiceForwarder(IServiceCollection hostServices, IServiceProvider root)
    {
        _hostServices = hostServices;
        _root = root;
        _descriptors = new Lazy<IReadOnlyList<ServiceDescriptor>>(Build);
    }

    /// <summary>The descriptors every tenant container starts from (computed once).</summary>
    public IReadOnlyList<ServiceDescriptor> Descriptors => _descriptors.Value;

    private List<ServiceDescriptor> Build()
    {
        var result = new List<ServiceDescriptor>(_hostServices.Count);
        foreach (var group in _hostServices.GroupBy(d => (d.ServiceType, d.ServiceKey)))
        {
            var (type, key) = group.Key;
            if (type == typeof(IHostedService))
                continue; // background work belongs to the host, never to a tenant
            var descriptors = group.ToList();
            if (type.IsGenericTypeDefinition || descriptors.Any(d => d.Lifetime != ServiceLifetime.Singleton))
            {
                result.AddRange(descriptors);
                continue;
            }

            object?[] instances;
            try
            {
                instances = (key is null ? _root.GetServices(type) : _root.GetKeyedServices(type, key)).ToArray();
            }
            catch (InvalidOperationException)
            {
                // A singleton the host itself cannot build (e.g. it needs a scoped service) is copied instead,
                // so a tenant gets the same error the host would — only if something asks for it.
                result.AddRange(descriptors);
                continue;
            }

            if (instances.Length != descriptors.Count)
            {
                result.AddRange(descriptors);
                continue;
            }
            for (var i = 0; i < descriptors.Count; i++)
                result.Add(key is null
                    ? new ServiceDescriptor(type, instances[i]!)
                    : new ServiceDescriptor(type, key, instances[i]!));
        }
        return result;
    }
}
