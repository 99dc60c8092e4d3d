namespace Studio.Identity;

/// <summary>Authorization policy names, registered by the Identity feature; use them in <c>[Authorize(Policy = …)]</c>.</summary>
public static class StudioPolicies
{
    /// <summary>Any staff role of the current tenant.</summary>
    public const string Staff = "studio:staff";
    /// <summary>Owner or admin of the current tenant: the tenant admin area.</summary>
    public const string TenantAdmin = "studio:tenant-admin";
    /// <summary>A platform operator (Default tenant).</summary>
    public const string Operator = "studio:operator";
    /// <summary>A reseller (Default tenant).</summary>
    public const string Reseller = "studio:reseller";
}

/// <summary>Claim types the platform adds to a signed-in principal.</summary>
public static class StudioClaims
{
    /// <summary>The tenant the session was issued by; a principal whose tenant differs from the request's is refused.</summary>
    public const string Tenant = "studio:tenant";

    /// <summary>On a reseller's principal (account or API key): the reseller id it is confined to.</summary>
    public const string Reseller = "studio:reseller";
}

/// <summary>Tenant-relative paths of the account pages, so features can link and redirect without knowing the pages.</summary>
public static class IdentityPaths
{
    /// <summary>Sign-in page (password, magic link).</summary>
    public const string SignIn = "/account/sign-in";
    /// <summary>Sign-out (POST).</summary>
    public const string SignOut = "/account/sign-out";
    /// <summary>Second step of sign-in when the account has two-factor authentication (the 2FA feature's page).</summary>
    public const string TwoFactor = "/account/two-factor";
    /// <summary>Enrolment in two-factor authentication (the 2FA feature's page).</summary>
    public const string TwoFactorSetup = "/account/two-factor/setup";
    /// <summary>Access denied page.</summary>
    public const string AccessDenied = "/account/access-denied";
}
