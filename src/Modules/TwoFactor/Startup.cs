using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Modules.TwoFactor.Data;
using Studio.Modules.TwoFactor.Services;
using Studio.Modules.TwoFactor.Settings;
using Studio.Navigation;
using Studio.Tenancy;

namespace Studio.Modules.TwoFactor;

/// <summary>Wires two-factor authentication into a tenant, over the Identity feature's user store and sign-in.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        var settings = TwoFactorSettings.From(tenant.Configuration.GetSection(TwoFactorSettings.Section));
        services.AddSingleton(Options.Create(settings));

        services.AddHttpContextAccessor();
        services.AddScoped<TotpStepStore>();
        services.AddScoped<TotpVerifier>();
        services.AddScoped<TotpTokenProvider>();
        services.AddScoped<TwoFactorAudit>();
        services.AddSingleton<INavigationProvider, TwoFactorNavigation>();

        // Our provider checks authenticator codes everywhere Identity does (enrolment, sign-in, disable), so the
        // window, the replay refusal and Identity's lockout counting apply to every one of them.
        services.Configure<IdentityOptions>(options =>
        {
            var ours = new TokenProviderDescriptor(typeof(TotpTokenProvider));
            options.Tokens.ProviderMap[TotpTokenProvider.Name] = ours;
            // Also under Identity's default name, so code asking for "Authenticator" by name never reaches the
            // built-in provider (wider window, no replay refusal).
            options.Tokens.ProviderMap[TokenOptions.DefaultAuthenticatorProvider] = ours;
            options.Tokens.AuthenticatorTokenProvider = TotpTokenProvider.Name;
        });

        // "Remember this device": the tenant's own lifetime, and a cookie name of its own so two tenants served from
        // one host (by prefix) never overwrite each other's (the tenant-bound Data Protection refuses a foreign one).
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorRememberMeScheme, options =>
        {
            // The Identity feature names its cookies per tenant; name it only if it was left at the shared default.
            if (string.IsNullOrEmpty(options.Cookie.Name) || options.Cookie.Name == IdentityConstants.TwoFactorRememberMeScheme)
                options.Cookie.Name = ".Studio.TwoFactorRemember." + tenant.Name;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            options.ExpireTimeSpan = settings.RememberDevice ?? TimeSpan.FromMinutes(1);
            options.SlidingExpiration = false;
            var validate = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                // Turned off since the device was remembered: the old cookie no longer skips the second step.
                if (settings.RememberDevice is null)
                {
                    context.RejectPrincipal();
                    return;
                }
                await validate(context);
            };
        });
    }

    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant)
    {
        var settings = TwoFactorSettings.From(tenant.Configuration.GetSection(TwoFactorSettings.Section));
        // Runs after the Identity feature's authentication (startups run in dependency order), so the user is known.
        if (settings.Policy == TwoFactorPolicy.RequiredForStaff)
            tenantApp.UseMiddleware<TwoFactorPolicyMiddleware>();
    }
}
