using Studio.Modules;

[assembly: Module("Email")]
// The id is written out (it is EmailFeature.Id) so the translation check reads the display name as a key.
[assembly: Feature("Studio.Email", "Email",
    Description = "Transactional email through a persistent outbox: SMTP with failover, retries, branded templates.",
    Category = "Infrastructure")]

namespace Studio.Modules.Email;

/// <summary>The feature id of the email module.</summary>
public static class EmailFeature
{
    /// <summary>Feature id.</summary>
    public const string Id = "Studio.Email";
}
