using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Email;
using Studio.Modules.Email.Outbox;
using Studio.Modules.Email.Providers;
using Studio.Modules.Email.Settings;
using Studio.Security;
using Studio.Tenancy;

namespace Studio.Modules.Email;

/// <summary>Wires transactional email into a tenant.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        services.AddSingleton(sp => EmailSettings.Resolve(sp.GetRequiredService<IConfiguration>(), tenant.Configuration));
        services.AddSingleton<IReadOnlyList<IEmailProvider>>(sp => Providers(
            sp.GetRequiredService<EmailSettings>(), sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ISecretProtector>(), tenant));
        services.AddSingleton<EmailDispatchPump>();
        services.AddScoped<EmailOutbox>();
        services.AddScoped<IEmailOutbox>(sp => sp.GetRequiredService<EmailOutbox>());
        services.AddScoped<EmailDispatcher>();
        services.AddScoped<IEmailTemplates, Templates.EmailTemplates>();
    }

    // Runs once per activation: the tenant's pump lives as long as its container.
    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        tenantApp.ApplicationServices.GetRequiredService<EmailDispatchPump>().Start();

    private static List<IEmailProvider> Providers(EmailSettings settings, IConfiguration host, ISecretProtector secrets, TenantContext tenant) =>
        settings.Providers.Select(p => p.Kind.ToLowerInvariant() switch
        {
            "smtp" => (IEmailProvider)new SmtpEmailProvider(p, secrets),
            // Relative pickup folders are under the tenant's own data folder, never shared between tenants.
            "pickup" => new PickupDirectoryEmailProvider(Path.IsPathRooted(p.Directory) ? p.Directory
                : Path.Combine(host["Studio:DataPath"] ?? "App_Data", "Sites", tenant.Name, p.Directory)),
            _ => throw new InvalidOperationException($"Unknown email provider kind '{p.Kind}' (Smtp or Pickup)."),
        }).ToList();
}
