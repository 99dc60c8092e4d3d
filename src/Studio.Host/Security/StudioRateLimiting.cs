using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Studio.Host.Tenancy;
using Studio.Security;

namespace Studio.Host.Security;

/// <summary>
/// Registers the named policies of <see cref="RateLimitPolicies"/>: fixed windows partitioned by (tenant name,
/// client IP). The client IP is <c>Connection.RemoteIpAddress</c>, which <see cref="StudioForwardedHeaders"/> has
/// already replaced by the forwarded client's address when — and only when — the request came from a configured
/// proxy; a made-up <c>X-Forwarded-For</c> from anyone else changes nothing here.
/// </summary>
public static class StudioRateLimiting
{
    /// <summary>Adds the rate limiter and binds <c>Studio:RateLimits:{Policy}</c>.</summary>
    public static IServiceCollection AddStudioRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StudioRateLimitOptions>().Configure(options =>
        {
            foreach (var section in configuration.GetSection(StudioRateLimitOptions.Section).GetChildren())
            {
                var settings = options.Policies.TryGetValue(section.Key, out var existing) ? existing : new RateLimitSettings();
                section.Bind(settings);
                options.Policies[section.Key] = settings;
            }
        });
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            foreach (var policy in RateLimitPolicies.All)
                limiter.AddPolicy(policy, context => Partition(context, policy));
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, string policy)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<StudioRateLimitOptions>>().Value.Policies[policy];
        // The tenant comes first in the key: the same address on two tenants has two budgets.
        var tenant = context.GetTenant()?.Name ?? "";
        // A limited page's GET only shows its form: the budget is spent by what the form posts (sign-in attempts,
        // links sent), so someone reloading the sign-in page is never locked out of it.
        if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>() is Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor)
            return RateLimitPartition.GetNoLimiter(tenant + "|page-get");
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        return RateLimitPartition.GetFixedWindowLimiter(tenant + "|" + address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = settings.Window,
            QueueLimit = 0,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        // A browser gets an empty 429 that the tenant's pipeline turns into its themed error page; anything else
        // (JSON clients, scripts) gets problem details.
        if (AcceptsHtml(context.Request))
            return;
        var localizer = context.RequestServices.GetRequiredService<IStringLocalizer<RateLimitSettings>>();
        await Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: localizer["Too many requests"],
            detail: localizer["Too many requests from this address. Try again in {0} seconds.", seconds]).ExecuteAsync(context);
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
