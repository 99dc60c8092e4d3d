using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Modules.Hello.Services;
using Studio.Modules.Hello.Settings;
using Studio.Navigation;
using Studio.Recipes;
using Studio.Tenancy;

namespace Studio.Modules.Hello;

/// <summary>Wires the Hello feature into a tenant.</summary>
public sealed class Startup : FeatureStartup
{
    public override void ConfigureServices(IServiceCollection services, TenantContext tenant)
    {
        // Per-tenant options: each tenant binds its own "Hello" section of its settings.
        services.Configure<HelloSettings>(tenant.Configuration.GetSection(HelloSettings.Section));
        services.AddScoped<GreetingStore>();
        // What other modules may use (Studio.Hello.Abstractions): the same store, seen through its contract.
        services.AddScoped<Studio.Hello.IGuestBook>(sp => sp.GetRequiredService<GreetingStore>());
        services.AddSingleton<INavigationProvider, HelloNavigation>();
        services.AddScoped<IRecipeStep, GreetingsRecipeStep>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // A JSON endpoint beside the page: isolation tests read greetings through every route.
        endpoints.MapGet("/hello/api/greetings", async ([FromServices] GreetingStore store, CancellationToken cancellationToken) =>
            Results.Ok(await store.ListAsync(50, cancellationToken)));
    }
}
