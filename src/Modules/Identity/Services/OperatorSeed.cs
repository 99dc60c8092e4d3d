using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Identity;

namespace Studio.Modules.Identity.Services;

/// <summary>
/// Creates the first platform operator in the Default tenant from <c>Studio:Operator:Email</c> and
/// <c>Studio:Operator:Password</c> when both are set and no operator exists yet. Without them, the loopback-only
/// <c>/setup</c> page does it.
/// </summary>
public sealed class OperatorSeed(AccountService accounts, IConfiguration configuration, ILogger<OperatorSeed> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Studio:Operator:Email"];
        var password = configuration["Studio:Operator:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || await accounts.HasOperatorAsync(cancellationToken))
            return;
        var existing = await accounts.FindByEmailAsync(email);
        if (existing is not null)
            return; // someone (another instance) made it meanwhile, or the address is taken: never overwrite an account
        var result = await accounts.CreateAsync(email, "Operator", [StudioRoles.Operator], password, emailConfirmed: true, cancellationToken);
        if (result.Succeeded)
            logger.LogInformation("Created the first platform operator from configuration");
        else
            logger.LogError("The first platform operator from configuration (Studio:Operator) could not be created: {Reason}", result.Error);
    }
}

/// <summary>Runs <see cref="OperatorSeed"/> once per Default tenant shell, on its first request.</summary>
public sealed class OperatorSeedMiddleware(RequestDelegate next)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!_done)
        {
            await _gate.WaitAsync(context.RequestAborted);
            try
            {
                if (!_done)
                {
                    await context.RequestServices.GetRequiredService<OperatorSeed>().RunAsync(context.RequestAborted);
                    _done = true;
                }
            }
            finally { _gate.Release(); }
        }
        await next(context);
    }
}
