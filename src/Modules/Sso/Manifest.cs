using Studio.Modules;

[assembly: Module("Sso")]
[assembly: Feature("Studio.Sso", "Single sign-on",
    Description = "Identity providers per tenant: sign-in buttons, e-mail-domain discovery, account mapping and provisioning, SSO-only staff.",
    Category = "Security", Dependencies = ["Studio.Audit"])]
[assembly: Feature("Studio.Sso.Saml", "SAML 2.0",
    Description = "Sign staff in with a SAML 2.0 identity provider (Okta, Entra ID, ADFS, Google Workspace…).",
    Category = "Security", Dependencies = ["Studio.Sso"])]
[assembly: Feature("Studio.Sso.Oidc", "OpenID Connect",
    Description = "Sign staff in with an OpenID Connect provider (Okta, Auth0, Entra ID, Google).",
    Category = "Security", Dependencies = ["Studio.Sso"])]
