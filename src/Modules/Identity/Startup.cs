using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Identity;
using Studio.Modules.Identity.Services;
using Studio.Modules.Identity.Settings;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Modules.Identity;

/// <summary>
/// Accounts in a tenant: ASP.NET Core Identity over the tenant's own database, and cookie sessions bound to the
/// tenant — a cookie name of its own, host-only, the tenant's prefix as path (from PathBase), protected by the
/// tenant's Data Protection purpose, and a tenant claim checked on every request with the security stamp.
/// </summary>
public sealed class Startup : FeatureStartup
{
    /// <summary>Prefix of the session cookie's name; the tenant's name follows.</summary>
    public const string CookiePrefix = ".Studio.Session.";

    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        var section = tenant.Configuration.GetSection(IdentitySettings.Section);
        var settings = section.Get<IdentitySettings>() ?? new IdentitySettings();
        services.Configure<IdentitySettings>(section);

        services.AddScoped<UserStore>();
        services.AddScoped<IUserStore<StudioUser>>(sp => sp.GetRequiredService<UserStore>());
        services.AddScoped<OneTimeLinks>();
        services.AddScoped<IdentityEvents>();
        services.AddScoped<AccountEmails>();
        services.AddScoped<AccountService>();
        services.AddScoped<IAccountLanguage, AccountLanguage>();
        services.AddScoped<IExternalSignIn, ExternalSignIn>();
        services.AddScoped<OperatorSeed>();
        if (tenant.IsDefault)
            services.AddScoped<IResellerAccounts, ResellerAccounts>();
        services.AddScoped<IRecipeStep, UsersRecipeStep>();
        services.AddSingleton<Studio.Navigation.INavigationProvider, AccountNavigation>();

        // The host's authentication services (its authorization brings them in) arrive here as shared instances
        // with no schemes: this tenant needs its own, built over its own options.
        services.RemoveAll<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
        services.RemoveAll<Microsoft.AspNetCore.Authentication.IAuthenticationHandlerProvider>();
        services.RemoveAll<Microsoft.AspNetCore.Authentication.IAuthenticationService>();
        services.RemoveAll<Microsoft.AspNetCore.Authentication.IAuthenticationConfigurationProvider>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddIdentityCore<StudioUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedEmail = true;
                o.Password.RequiredLength = Math.Max(8, settings.MinimumPasswordLength);
                // Length over composition rules (NIST SP 800-63B).
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = Math.Max(1, settings.MaxFailedAccessAttempts);
                o.Lockout.DefaultLockoutTimeSpan = settings.LockoutDuration > TimeSpan.Zero ? settings.LockoutDuration : TimeSpan.FromMinutes(15);
            })
            .AddSignInManager<StudioSignInManager>()
            // Identity's messages (weak password, address taken…) in the visitor's language.
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<StudioClaimsPrincipalFactory>()
            // Only the data-protection tokens of links (reset, confirmation). Not the default set: its e-mail and
            // authenticator providers are second factors, which would send a user with 2FA turned on to a second
            // step the tenant may not have (the Studio.TwoFactor feature registers its own provider).
            .AddTokenProvider<DataProtectorTokenProvider<StudioUser>>(TokenOptions.DefaultProvider);
        services.TryAddScoped<ISecurityStampValidator, SecurityStampValidator<StudioUser>>();
        services.TryAddScoped<ITwoFactorSecurityStampValidator, TwoFactorSecurityStampValidator<StudioUser>>();
        // Every request checks the stamp: a password change, a reset or a role change ends other sessions at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        var name = tenant.Name;
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            o.Cookie.Name = CookiePrefix + name;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Host-only (no Domain) and Path left unset: the cookie builder then uses PathBase, the tenant's prefix.
            o.Cookie.Domain = null;
            o.Cookie.Path = null;
            o.LoginPath = IdentityPaths.SignIn;
            o.LogoutPath = IdentityPaths.SignOut;
            o.AccessDeniedPath = IdentityPaths.AccessDenied;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = async context =>
            {
                // A session belongs to the tenant that issued it; anything else is refused before the stamp check.
                if (context.Principal?.FindFirst(StudioClaims.Tenant)?.Value != name)
                {
                    context.RejectPrincipal();
                    return;
                }
                await SecurityStampValidator.ValidatePrincipalAsync(context);
                // The validator re-issues the cookie each time it checks; as it checks on every request (and puts the
                // fresh roles in this request's principal), that would be a Set-Cookie on every response. Sliding
                // expiration still renews it.
                if (context.Principal is not null)
                    context.ShouldRenew = false;
            };
            o.Events.OnSignedIn = context => AccountLanguage.RestoreAsync(context.HttpContext, context.Principal!);
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });
        foreach (var (scheme, suffix) in new[]
        {
            (IdentityConstants.TwoFactorUserIdScheme, ".Studio.TwoFactor."),
            (IdentityConstants.TwoFactorRememberMeScheme, ".Studio.TwoFactorRemember."),
            (IdentityConstants.ExternalScheme, ".Studio.External."),
        })
            services.Configure<CookieAuthenticationOptions>(scheme, o =>
            {
                o.Cookie.Name = suffix + name;
                o.Cookie.Domain = null;
                o.Cookie.Path = null;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
    }

    public override void Configure(IApplicationBuilder app, TenantContext tenant)
    {
        app.UseAuthentication();
        if (tenant.IsDefault)
            app.UseMiddleware<OperatorSeedMiddleware>();
    }

    /// <summary>Pages redirect to the sign-in (or access denied) page; APIs and files get a bare status code.</summary>
    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var endpoint = context.HttpContext.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<ActionDescriptor>() is PageActionDescriptor)
            context.Response.Redirect(context.RedirectUri);
        else
            context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
