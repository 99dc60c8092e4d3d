using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Studio.Tenancy;

namespace Studio.Modules.Sso.Services.Saml;

/// <summary>Registers the Saml area of SSO: SP keys, issued requests and replay cache, the flow and its endpoints.</summary>
internal static class SamlServices
{
    public static void Add(IServiceCollection services, TenantContext tenant)
    {
        services.AddSingleton<ISamlResponseValidator, SamlResponseValidator>();
        services.AddScoped<SpKeyStore>();
        services.AddScoped<SamlRequestStore>();
        services.AddScoped<SamlFlow>();
        services.AddScoped<SamlLogout>();
        services.AddScoped<Studio.Identity.IExternalSignOutProvider, SamlSignOutProvider>();
        services.AddScoped<SamlMetadataFetcher>();
        // The resilience pipeline owns the time limits (HttpClient's own timeout is only a backstop): 10 s in all,
        // retries with exponential backoff on transient failures (network errors, 408, 429, 5xx), and a circuit
        // breaker per IdP host so a dead IdP is not hammered by every refresh round while others still work.
        services.AddHttpClient(SamlMetadataFetcher.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 3 })
            .AddStandardResilienceHandler(options =>
            {
                options.TotalRequestTimeout.Timeout = SamlMetadataFetcher.TotalTimeout;
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                options.Retry.UseJitter = true;
                options.Retry.Delay = TimeSpan.FromMilliseconds(300);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
                options.CircuitBreaker.MinimumThroughput = 5;
                options.CircuitBreaker.FailureRatio = 0.5;
                options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
            })
            .SelectPipelineByAuthority();
        // A metadata URL that cannot be reached is an expected operational event, reported once per refresh by
        // SamlMetadataFetcher (Warning, audit, admin page). Polly's own telemetry for this pipeline (each retry,
        // timeout, opened circuit; Warning/Error by default) goes down to Information so it cannot flood the logs.
        services.Configure<Polly.Telemetry.TelemetryOptions>(options =>
        {
            var inner = options.SeverityProvider;
            options.SeverityProvider = args =>
            {
                var severity = inner?.Invoke(args) ?? args.Event.Severity;
                return args.Source.PipelineName?.StartsWith(SamlMetadataFetcher.ClientName, StringComparison.Ordinal) == true
                    && severity > Polly.Telemetry.ResilienceEventSeverity.Information ? Polly.Telemetry.ResilienceEventSeverity.Information : severity;
            };
        });
        var minutes = int.TryParse(tenant.Configuration["Sso:MetadataRefreshMinutes"], System.Globalization.NumberStyles.Integer,
            System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : 15;
        services.AddSingleton(sp => new SamlMetadataRefresher(sp, TimeSpan.FromMinutes(Math.Max(0, minutes)),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SamlMetadataRefresher>>()));
    }

    /// <summary>Runs once per activation: the tenant's metadata refresher lives as long as its container.</summary>
    public static void Configure(IApplicationBuilder tenantApp, TenantContext tenant) =>
        tenantApp.ApplicationServices.GetRequiredService<SamlMetadataRefresher>().Start();

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/sso/saml/{id}/metadata", (HttpContext context, string id, [FromServices] SamlFlow flow) => flow.MetadataAsync(context, id));
        endpoints.MapGet("/sso/saml/{id}/login", (HttpContext context, string id, string? returnUrl, [FromServices] SamlFlow flow) =>
            flow.LoginAsync(context, id, returnUrl));
        // Cross-site POST from the IdP: no antiforgery token; its protection is the signature, InResponseTo (single use) and the replay cache.
        endpoints.MapPost("/sso/saml/{id}/acs", (HttpContext context, string id, [FromServices] SamlFlow flow) => flow.AcsAsync(context, id))
            .DisableAntiforgery();
        // Sign-out from the studio and the IdP (a form with the antiforgery token, as for any sign-out).
        endpoints.MapPost("/sso/saml/{id}/logout", (HttpContext context, string id, [FromServices] SamlFlow flow) => flow.StartLogoutAsync(context, id))
            .DisableAntiforgery();
        endpoints.MapGet("/sso/saml/{id}/slo", (HttpContext context, string id, [FromServices] SamlFlow flow) => flow.SingleLogoutAsync(context, id));
    }
}
