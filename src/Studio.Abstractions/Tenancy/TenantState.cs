namespace Studio.Tenancy;

/// <summary>Life cycle of a tenant.</summary>
public enum TenantState
{
    /// <summary>Registered, not set up yet.</summary>
    Uninitialized,
    /// <summary>Its setup recipe is running; requests get 503 with Retry-After.</summary>
    Initializing,
    /// <summary>Serving requests.</summary>
    Running,
    /// <summary>Switched off by the operator, or by a failed migration; requests get 503.</summary>
    Disabled,
}
