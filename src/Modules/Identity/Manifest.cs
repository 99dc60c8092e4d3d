using Studio.Modules;

[assembly: Module("Identity")]
// The id is written out (it is IdentityFeature.Id) so the translation check reads the display name as a key.
[assembly: Feature("Studio.Identity", "Accounts",
    Description = "Accounts of each tenant: staff and clients of a studio, operators and resellers of the platform; sign-in, invitations, password reset, magic links, per-tenant sessions.",
    Category = "Security",
    AlwaysEnabled = true)]

namespace Studio.Modules.Identity;

/// <summary>The feature id of the accounts module.</summary>
public static class IdentityFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Identity";
}
