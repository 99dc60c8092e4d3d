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

/// <summary>Labels of <see cref="TenantState"/> for people.</summary>
public static class TenantStates
{
    /// <summary>The English label of a state — its translation key: show it with <c>T[TenantStates.Label(state)]</c>.</summary>
    public static string Label(TenantState state) => state switch
    {
        TenantState.Uninitialized => Studio.Localization.Localizable.Text("Not set up yet"),
        TenantState.Initializing => Studio.Localization.Localizable.Text("Setting up"),
        TenantState.Running => Studio.Localization.Localizable.Text("Running"),
        TenantState.Disabled => Studio.Localization.Localizable.Text("Disabled"),
        _ => state.ToString(),
    };
}
