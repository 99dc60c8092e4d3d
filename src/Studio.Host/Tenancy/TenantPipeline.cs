namespace Studio.Host.Tenancy;

/// <summary>
/// Glue between a tenant's own pipeline and the host's: the tenant middleware stores the host's next
/// delegate in the request, and the last step of every tenant pipeline calls it.
/// </summary>
internal static class TenantPipeline
{
    private static readonly object NextKey = new();

    public static void SetContinuation(HttpContext context, RequestDelegate next) => context.Items[NextKey] = next;

    public static Task ContinueWithHost(HttpContext context) =>
        context.Items[NextKey] is RequestDelegate next ? next(context) : Task.CompletedTask;
}
