using Studio.Localization;
using Studio.Tenancy;

namespace Studio.Modules.Tenants.Pages;

/// <summary>A tenant state's label — English text, the translation key: show it with <c>T[TenantStates.Label(state)]</c>.</summary>
public static class TenantStates
{
    public static string Label(TenantState state) => state switch
    {
        TenantState.Uninitialized => Localizable.Text("Not set up yet"),
        TenantState.Initializing => Localizable.Text("Setting up"),
        TenantState.Running => Localizable.Text("Running"),
        TenantState.Disabled => Localizable.Text("Disabled"),
        _ => state.ToString(),
    };
}
