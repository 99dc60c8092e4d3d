using Studio.Modules;

[assembly: Module("TwoFactor")]
[assembly: Feature("Studio.TwoFactor", "Two-factor authentication",
    Description = "Authenticator-app codes (TOTP) as a second sign-in step, with recovery codes, remembered devices and a tenant policy requiring it for staff.",
    Category = "Security",
    Dependencies = ["Studio.Identity"])]
