using Studio.Identity;
using Studio.Localization;

namespace Studio.Modules.Sso.Services.Providers;

/// <summary>The English label of a role code (its translation key): the admin page shows <c>T[SsoRoleLabels.Of(role)]</c>.</summary>
public static class SsoRoleLabels
{
    /// <summary>The label of <paramref name="role"/>; an unknown code is shown as it is.</summary>
    public static string Of(string role) => role switch
    {
        StudioRoles.Owner => Localizable.Text("Owner"),
        StudioRoles.Admin => Localizable.Text("Administrator"),
        StudioRoles.Engineer => Localizable.Text("Engineer"),
        StudioRoles.FrontDesk => Localizable.Text("Front desk"),
        StudioRoles.Client => Localizable.Text("Client"),
        StudioRoles.Operator => Localizable.Text("Platform operator"),
        StudioRoles.Reseller => Localizable.Text("Reseller"),
        _ => role,
    };
}
