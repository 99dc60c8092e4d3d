using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Studio.Identity;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Api.Services;

/// <summary>The API's authentication scheme and the claims it puts on a key's principal.</summary>
public static class ApiKeyDefaults
{
    /// <summary>Scheme name. Only the API's endpoints ask for it; the tenant's default scheme stays the session cookie.</summary>
    public const string Scheme = "StudioApiKey";

    /// <summary>The key's id on the principal.</summary>
    public const string KeyIdClaim = "studio:api-key";

    /// <summary>Header alternative to <c>Authorization: Bearer</c>.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The platform actor a key's principal acts as (the key id as user id; reseller keys are confined).</summary>
    public static PlatformActor Actor(HttpContext context)
    {
        var user = context.User;
        var id = user.FindFirst(KeyIdClaim)?.Value ?? throw new InvalidOperationException("Not an API key principal.");
        return new PlatformActor("apikey:" + id, user.Identity?.Name ?? id, user.FindFirst(StudioClaims.Reseller)?.Value,
            context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
    }
}

/// <summary>
/// Authenticates <c>Authorization: Bearer stk_…</c> or <c>X-Api-Key: stk_…</c> against <see cref="ApiKeyStore"/>.
/// Challenges and forbids answer with problem details (401/403), never a redirect to a sign-in page.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, ApiKeyStore keys, TenantContext tenant) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
            return AuthenticateResult.NoResult();
        var key = await keys.ValidateAsync(presented, Context.RequestAborted);
        if (key is null)
            return AuthenticateResult.Fail("Invalid or revoked API key.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "apikey:" + key.Id),
            new(ClaimTypes.Name, "API key " + key.Name),
            new(ApiKeyDefaults.KeyIdClaim, key.Id),
            new(StudioClaims.Tenant, tenant.Name),
        };
        if (key.Reseller is null)
            claims.Add(new Claim(ClaimTypes.Role, StudioRoles.Operator));
        else
        {
            claims.Add(new Claim(ClaimTypes.Role, StudioRoles.Reseller));
            claims.Add(new Claim(StudioClaims.Reseller, key.Reseller));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"studio-api\"";
        var localizer = ApiProblems.Localizer(Context);
        return ApiProblems.Write(Context, ApiProblems.Create(Context, StatusCodes.Status401Unauthorized,
            localizer["A valid API key is required: Authorization: Bearer <key> or X-Api-Key: <key>."]));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var localizer = ApiProblems.Localizer(Context);
        return ApiProblems.Write(Context, ApiProblems.Create(Context, StatusCodes.Status403Forbidden, localizer["This API key may not do this."]));
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        var header = request.Headers[ApiKeyDefaults.HeaderName].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
