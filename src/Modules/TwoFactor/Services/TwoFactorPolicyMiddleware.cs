using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Identity;

namespace Studio.Modules.TwoFactor.Services;

/// <summary>
/// When the tenant requires two-factor authentication for staff, takes a signed-in staff member without it to the
/// enrolment page from any page, keeping where they were going. Lets through what enrolment itself needs: the
/// two-factor pages, sign-out, static assets and the error page.
/// </summary>
public sealed class TwoFactorPolicyMiddleware(RequestDelegate next)
{
    private static readonly string[] Allowed =
    [
        IdentityPaths.TwoFactor, // the setup page and the second sign-in step live under it
        IdentityPaths.SignOut,
        IdentityPaths.SignIn,
        "/_content", "/_framework", "/brand.css", "/favicon.ico", "/css", "/js", "/lib", "/Error",
    ];

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || IsAllowed(context.Request.Path))
        {
            await next(context);
            return;
        }
        var users = context.RequestServices.GetRequiredService<UserManager<StudioUser>>();
        var user = await users.GetUserAsync(context.User);
        if (user is null || await users.GetTwoFactorEnabledAsync(user) || !await IsStaffAsync(users, user))
        {
            await next(context);
            return;
        }
        var returnUrl = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        context.Response.Redirect(context.Request.PathBase + IdentityPaths.TwoFactorSetup +
            QueryString.Create("returnUrl", returnUrl));
    }

    private static bool IsAllowed(PathString path) =>
        Allowed.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    private static async Task<bool> IsStaffAsync(UserManager<StudioUser> users, StudioUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return roles.Any(role => StudioRoles.Staff.Contains(role, StringComparer.OrdinalIgnoreCase));
    }
}
