using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Studio.Currencies;
using Studio.Modules.Currencies.Services;
using Studio.Navigation;
using Studio.Tenancy;

namespace Studio.Modules.Currencies;

/// <summary>Wires the Currencies feature into a tenant.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        services.AddSingleton(sp => CurrencyOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddHttpContextAccessor();
        services.AddScoped<CurrencyStore>();
        services.AddScoped<CurrencyRates>();
        services.AddScoped<IBaseCurrency, BaseCurrency>();
        services.AddScoped<IDisplayPrices, DisplayPrices>();
        services.AddScoped<Studio.Platform.ITenantCurrencyConfiguration, CurrencyApiConfiguration>();
        services.AddSingleton<INavigationProvider, CurrencyNavigation>();
        services.AddSingleton<EcbRateFeed>();
        // The pipeline owns the time limits: 15 s in all, 5 s an attempt, two retries with exponential backoff and
        // jitter on transient failures (network errors, 408, 429, 5xx), and a circuit breaker so a dead feed is not
        // hammered by every tenant's round. The shared copy (EcbRateFeed) makes one fetch serve every tenant.
        services.AddHttpClient(EcbRateFeed.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 3 })
            .AddStandardResilienceHandler()
            .Configure((options, sp) =>
            {
                options.TotalRequestTimeout.Timeout = EcbRateFeed.TotalTimeout;
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                options.Retry.UseJitter = true;
                options.Retry.Delay = TimeSpan.FromMilliseconds(300);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                options.CircuitBreaker.MinimumThroughput = 5;
                options.CircuitBreaker.FailureRatio = 0.5;
                options.CircuitBreaker.BreakDuration = sp.GetRequiredService<CurrencyOptions>().CircuitBreak;
            });
        services.AddSingleton(sp => new RateRefresher(sp, sp.GetRequiredService<CurrencyOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RateRefresher>>()));
    }

    /// <summary>Runs once per activation: the tenant's rate refresher lives as long as its container.</summary>
    public override void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        tenantApp.ApplicationServices.GetRequiredService<RateRefresher>().Start();
}
