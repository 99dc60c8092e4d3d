using Studio.Localization;

namespace Studio.Identity;

/// <summary>The fixed roles. Studio tenants use the staff roles and <see cref="Client"/>; the Default tenant uses
/// <see cref="Operator"/> and <see cref="Reseller"/>.</summary>
public static class StudioRoles
{
    /// <summary>Owns the studio: everything, including billing and the other owners.</summary>
    public const string Owner = "owner";
    /// <summary>Runs the studio's settings, staff and catalogue.</summary>
    public const string Admin = "admin";
    /// <summary>Delivers sessions; sees the calendar.</summary>
    public const string Engineer = "engineer";
    /// <summary>Books and checks clients in.</summary>
    public const string FrontDesk = "frontdesk";
    /// <summary>A client using the client portal.</summary>
    public const string Client = "client";
    /// <summary>Platform operator (Default tenant only).</summary>
    public const string Operator = "operator";
    /// <summary>Reseller owning a set of tenants (Default tenant only).</summary>
    public const string Reseller = "reseller";

    /// <summary>The staff roles of a studio tenant.</summary>
    public static IReadOnlyList<string> Staff { get; } = [Owner, Admin, Engineer, FrontDesk];

    /// <summary>Roles that may be given inside a studio tenant.</summary>
    public static IReadOnlyList<string> Studio { get; } = [Owner, Admin, Engineer, FrontDesk, Client];

    /// <summary>Roles that may be given inside the Default tenant.</summary>
    public static IReadOnlyList<string> Platform { get; } = [Operator, Reseller];

    /// <summary>
    /// The English label of a role code — its translation key: pages show <c>T[StudioRoles.Label(role)]</c>, never the
    /// stored code. An unknown code is returned as it is.
    /// </summary>
    public static string Label(string role) => role switch
    {
        Owner => Localizable.Text("Owner"),
        Admin => Localizable.Text("Administrator"),
        Engineer => Localizable.Text("Engineer"),
        FrontDesk => Localizable.Text("Front desk"),
        Client => Localizable.Text("Client"),
        Operator => Localizable.Text("Platform operator"),
        Reseller => Localizable.Text("Reseller"),
        _ => role,
    };
}
