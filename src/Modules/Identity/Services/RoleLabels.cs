using Studio.Identity;
using Studio.Localization;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// The English label of a role code (the key its translation is found under): pages show <c>T[RoleLabels.Of(role)]</c>,
/// never the stored code itself.
/// </summary>
public static class RoleLabels
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
