using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Localization;
using Studio.Modules.Api.Services;
using Studio.Platform;
using Studio.Tenancy;

namespace Studio.Modules.Api.Endpoints;

/// <summary>Body of a feature preview or change.</summary>
public sealed record FeatureChangeRequest
{
    public IReadOnlyList<string> Enable { get; init; } = [];
    public IReadOnlyList<string> Disable { get; init; } = [];
    /// <summary>Change: also apply the dependencies/dependents the preview listed as extra.</summary>
    public bool ConfirmExtra { get; init; }
}

/// <summary>Body of a domain request, or of a primary-host change (null host: none).</summary>
public sealed record DomainRequest
{
    public string? Host { get; init; }
}

/// <summary>Answer to a removal.</summary>
public sealed record TenantRemoved(string Name, string? Export);

/// <summary>
/// The management API's routes (/api/v1). Every route requires the API key scheme explicitly: a session cookie
/// never authenticates it, so there is no CSRF surface. Reads and writes go through the platform contracts with
/// the key's <see cref="PlatformActor"/>; the host confines reseller keys, and these endpoints check visibility
/// first so that another reseller's tenant is a 404 like a missing one.
/// </summary>
internal static class ApiEndpoints
{
    public const string Base = "/api/v1";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Base)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser().RequireClaim(ApiKeyDefaults.KeyIdClaim))
            .WithTags("Studio API")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .AddEndpointFilter(IdempotentPosts);

        var tenants = api.MapGroup("/tenants").WithTags("Tenants");
        tenants.MapGet("", (Delegate)ListTenants).WithName("ListTenants").Produces<TenantPage>()
            .ProducesProblem(400).WithSummary("Tenants: search (name, display name, host), state, plan, reseller; page and pageSize.");
        tenants.MapPost("", (Delegate)CreateTenant).WithName("CreateTenant").Accepts<TenantDraft>("application/json").Produces<TenantInfo>(201)
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Creates a tenant. Send an Idempotency-Key header to retry safely.");
        tenants.MapGet("/{name}", GetTenant).WithName("GetTenant").Produces<TenantInfo>().ProducesProblem(404)
            .WithSummary("A tenant; its ETag is the version to send in If-Match.");
        tenants.MapPatch("/{name}", UpdateTenant).WithName("UpdateTenant").Accepts<TenantEdit>("application/json").Produces<TenantInfo>()
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(428)
            .WithSummary("Updates a tenant (null members unchanged). Requires If-Match.");
        tenants.MapPost("/{name}/enable", (HttpContext c, string name) => SetEnabled(c, name, true)).WithName("EnableTenant").Produces<TenantInfo>().ProducesProblem(404);
        tenants.MapPost("/{name}/disable", (HttpContext c, string name) => SetEnabled(c, name, false)).WithName("DisableTenant").Produces<TenantInfo>().ProducesProblem(404);
        tenants.MapPost("/{name}/reload", Reload).WithName("ReloadTenant").Produces(204).ProducesProblem(404);
        tenants.MapDelete("/{name}", Remove).WithName("RemoveTenant").Produces<TenantRemoved>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Removes a disabled tenant after exporting it; ?confirm= must repeat its name.");
        tenants.MapGet("/{name}/export", Export).WithName("ExportTenant").Produces(200, contentType: "application/json").ProducesProblem(404);
        tenants.MapGet("/{name}/brand", GetBrand).WithName("GetBrand").Produces<BrandSettings>().ProducesProblem(404);
        tenants.MapPut("/{name}/brand", PutBrand).WithName("PutBrand").Accepts<BrandSettings>("application/json").Produces<BrandSettings>()
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(428)
            .WithSummary("Replaces the tenant's brand (part of the tenant: If-Match takes the tenant's ETag).");
        tenants.MapGet("/{name}/features", ListFeatures).WithName("ListFeatures").Produces<IReadOnlyList<FeatureInfo>>().ProducesProblem(404);
        tenants.MapPost("/{name}/features/preview", PreviewFeatures).WithName("PreviewFeatures").Accepts<FeatureChangeRequest>("application/json")
            .Produces<FeatureChangePreview>().ProducesValidationProblem().ProducesProblem(404);
        tenants.MapPost("/{name}/features", ChangeFeatures).WithName("ChangeFeatures").Accepts<FeatureChangeRequest>("application/json")
            .WithSummary("Changes the tenant's features; with If-Match (the tenant's ETag), refused over a newer version.")
            .Produces<TenantInfo>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        tenants.MapGet("/{name}/domains", ListDomains).WithName("ListDomains").Produces<IReadOnlyList<DomainInfo>>().ProducesProblem(404);
        tenants.MapPost("/{name}/domains", RequestDomain).WithName("RequestDomain").Accepts<DomainRequest>("application/json")
            .Produces<DomainTxtRecord>().ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Starts adding a custom domain: returns the DNS TXT record to create, then call verify.");
        tenants.MapPost("/{name}/domains/{host}/verify", VerifyDomain).WithName("VerifyDomain").Produces<DomainVerificationResult>().ProducesProblem(404);
        tenants.MapDelete("/{name}/domains/{host}", RemoveDomain).WithName("RemoveDomain").Produces(204).ProducesProblem(404);
        tenants.MapPut("/{name}/primary-domain", SetPrimaryDomain).WithName("SetPrimaryDomain").Accepts<DomainRequest>("application/json")
            .Produces(204).ProducesValidationProblem().ProducesProblem(404);

        // Single sign-on of a tenant ("Studio.Sso" on): providers and the SSO-only setting, in that tenant's own container.
        var sso = api.MapGroup("/tenants/{name}/sso").WithTags("Single sign-on");
        sso.MapGet("/providers", ListSsoProviders).WithName("ListSsoProviders").ProducesProblem(404);
        sso.MapGet("/providers/{id}", GetSsoProvider).WithName("GetSsoProvider").ProducesProblem(404);
        sso.MapPut("/providers/{id}", PutSsoProvider).WithName("PutSsoProvider").ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("Creates (version 0) or replaces (version = the stored one) an identity provider; clientSecret is write-only.");
        sso.MapDelete("/providers/{id}", DeleteSsoProvider).WithName("DeleteSsoProvider").Produces(204).ProducesValidationProblem().ProducesProblem(404);
        sso.MapGet("/settings", GetSsoSettings).WithName("GetSsoSettings").ProducesProblem(404);
        sso.MapPut("/settings", PutSsoSettings).WithName("PutSsoSettings").ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("{ \"ssoOnlyStaff\": true } — staff sign in through an identity provider only (needs an enabled provider).");

        var currencies = api.MapGroup("/tenants/{name}/currencies").WithTags("Currencies");
        currencies.MapGet("", GetCurrencies).WithName("GetCurrencies").ProducesProblem(404)
            .WithSummary("Base currency, display currencies, the date of the tenant's ECB rates and its manual rates.");
        currencies.MapPut("/manual-rates/{currency}", PutManualRate).WithName("PutManualRate").ProducesValidationProblem().ProducesProblem(404)
            .WithSummary("{ \"rate\": \"1.0825\" } — 1 unit of the base currency in {currency}; wins over the ECB rate.");
        currencies.MapDelete("/manual-rates/{currency}", DeleteManualRate).WithName("DeleteManualRate").Produces(204).ProducesProblem(404);

        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("", (Delegate)ListPlans).WithName("ListPlans").Produces<IReadOnlyList<PlanDefinition>>();
        plans.MapGet("/{id}", GetPlan).WithName("GetPlan").Produces<PlanDefinition>().ProducesProblem(404);
        plans.MapPut("/{id}", SavePlan).WithName("SavePlan").Accepts<PlanDefinition>("application/json").Produces<PlanDefinition>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409)
            .WithSummary("Creates or replaces a plan (platform keys only); If-Match with its ETag when replacing.");
        plans.MapDelete("/{id}", DeletePlan).WithName("DeletePlan").Produces(204).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
    }

    private static Task<ApiResponse> ListTenants(HttpContext context) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var query = context.Request.Query;
        TenantState? state = null;
        if (query["state"].ToString() is { Length: > 0 } rawState)
            state = Enum.TryParse<TenantState>(rawState, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed : throw new ApiBadRequestException(Localizable.Text("Unknown state '{0}'. Use one of: {1}."), rawState, string.Join(", ", Enum.GetNames<TenantState>()));
        var reseller = actor.IsOperator ? NullIfEmpty(query["reseller"].ToString()) : actor.ResellerId;
        var page = await ApiContext.Service<ITenantAdministration>(context).QueryAsync(actor, new TenantQuery
        {
            Search = NullIfEmpty(query["search"].ToString()),
            State = state,
            Plan = NullIfEmpty(query["plan"].ToString()),
            Reseller = reseller,
            Page = ApiContext.QueryInt(context, "page", 1, 1, int.MaxValue),
            PageSize = ApiContext.QueryInt(context, "pageSize", 50, 1, 200),
        }, context.RequestAborted);
        // Belt and braces: a reseller key never lists a tenant that is not its own, whatever the query did.
        if (!actor.IsOperator)
            page = page with { Items = page.Items.Where(t => t.Reseller == actor.ResellerId).ToList() };
        return ApiResponse.Json(page);
    });

    /// <summary>
    /// Every POST honours <c>Idempotency-Key</c> (creates above all): the body is buffered so the handler can read it
    /// after the store has hashed it, and the handler's <see cref="ApiResponse"/> is what gets stored and replayed.
    /// </summary>
    private static async ValueTask<object?> IdempotentPosts(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.ContainsKey(IdempotencyStore.HeaderName))
            return await next(invocation);
        context.Request.EnableBuffering();
        var body = await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted);
        context.Request.Body.Position = 0;
        var keyId = context.User.FindFirst(ApiKeyDefaults.KeyIdClaim)!.Value;
        return await context.RequestServices.GetRequiredService<IdempotencyStore>().RunAsync(context, keyId, body, async () =>
            await next(invocation) as ApiResponse ?? throw new InvalidOperationException("An API POST must answer with an ApiResponse."));
    }

    private static Task<ApiResponse> CreateTenant(HttpContext context) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var draft = ApiJson.Read<TenantDraft>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        if (!actor.IsOperator)
        {
            // A reseller's tenants are its own; naming another reseller is refused by the host (as not found).
            draft = draft with { Reseller = draft.Reseller ?? actor.ResellerId };
            var localizer = ApiProblems.Localizer(context);
            if (draft.ConnectionString is not null)
                throw new PlatformValidationException([localizer["Only a platform key can give a tenant a database of its own."]]);
        }
        var created = await ApiContext.Service<ITenantAdministration>(context).CreateAsync(actor, draft, context.RequestAborted);
        return ApiResponse.Json(created, 201, $"{Base}/tenants/{Uri.EscapeDataString(created.Name)}", ApiContext.ETag(created.Version));
    });

    private static Task<ApiResponse> GetTenant(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var tenant = await ApiContext.VisibleTenantAsync(context, ApiKeyDefaults.Actor(context), name);
        return ApiResponse.Json(tenant, etag: ApiContext.ETag(tenant.Version));
    });

    private static Task<ApiResponse> UpdateTenant(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var edit = ApiJson.Read<TenantEdit>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        await ApiContext.VisibleTenantAsync(context, actor, name);
        var version = ApiContext.ExpectedVersion(context);
        var updated = await ApiContext.Service<ITenantAdministration>(context).UpdateAsync(actor, name, version, edit, context.RequestAborted);
        return ApiResponse.Json(updated, etag: ApiContext.ETag(updated.Version));
    });

    private static Task<ApiResponse> SetEnabled(HttpContext context, string name, bool enabled) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        var tenant = await ApiContext.Service<ITenantAdministration>(context).SetEnabledAsync(actor, name, enabled, context.RequestAborted);
        return ApiResponse.Json(tenant, etag: ApiContext.ETag(tenant.Version));
    });

    private static Task<ApiResponse> Reload(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        await ApiContext.Service<ITenantAdministration>(context).ReloadAsync(actor, name, context.RequestAborted);
        return ApiResponse.NoContent();
    });

    private static Task<ApiResponse> Remove(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        var confirmation = context.Request.Query["confirm"].ToString();
        var export = await ApiContext.Service<ITenantAdministration>(context).RemoveAsync(actor, name, confirmation, context.RequestAborted);
        // Where the export went is a path on the platform's servers: for the operator only.
        return ApiResponse.Json(new TenantRemoved(name, actor.IsOperator ? export : null));
    });

    private static async Task<IResult> Export(HttpContext context, string name)
    {
        using var buffer = new MemoryStream();
        // Into a buffer first, so a failure half-way is a problem answer, not a truncated file with a 200.
        var response = await ApiProblems.RunAsync(context, async () =>
        {
            var actor = ApiKeyDefaults.Actor(context);
            await ApiContext.VisibleTenantAsync(context, actor, name);
            await ApiContext.Service<ITenantAdministration>(context).ExportAsync(actor, name, buffer, context.RequestAborted);
            return ApiResponse.NoContent();
        });
        if (response.Status != StatusCodes.Status204NoContent)
            return response;
        return Results.File(buffer.ToArray(), "application/json", $"{name}.export.json");
    }

    private static Task<ApiResponse> ListSsoProviders(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
        ApiResponse.Json(await Sso(context).RunAsync(ApiKeyDefaults.Actor(context), name, s => s.ListProvidersAsync(context.RequestAborted), context.RequestAborted)));

    private static Task<ApiResponse> GetSsoProvider(HttpContext context, string name, string id) => ApiProblems.RunAsync(context, async () =>
        ApiResponse.Json(await Sso(context).RunAsync(ApiKeyDefaults.Actor(context), name, s => s.GetProviderAsync(id, context.RequestAborted), context.RequestAborted)
            ?? throw new ApiNotFoundException(Localizable.Text("No such identity provider."))));

    private static Task<ApiResponse> PutSsoProvider(HttpContext context, string name, string id) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var body = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted);
        return ApiResponse.Json(await Sso(context).RunAsync(actor, name, s => s.PutProviderAsync(id, body, AuditOf(actor), context.RequestAborted), context.RequestAborted));
    });

    private static Task<ApiResponse> DeleteSsoProvider(HttpContext context, string name, string id) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        return await Sso(context).RunAsync(actor, name, s => s.DeleteProviderAsync(id, AuditOf(actor), context.RequestAborted), context.RequestAborted)
            ? ApiResponse.NoContent()
            : throw new ApiNotFoundException(Localizable.Text("No such identity provider."));
    });

    private static ITenantCurrencyAdministration Currencies(HttpContext context) => ApiContext.Service<ITenantCurrencyAdministration>(context);

    private static Task<ApiResponse> GetCurrencies(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
        ApiResponse.Json(await Currencies(context).RunAsync(ApiKeyDefaults.Actor(context), name, c => c.GetAsync(context.RequestAborted), context.RequestAborted)));

    private static Task<ApiResponse> PutManualRate(HttpContext context, string name, string currency) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var body = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted);
        return ApiResponse.Json(await Currencies(context).RunAsync(actor, name, c => c.PutManualRateAsync(currency, body, AuditOf(actor), context.RequestAborted), context.RequestAborted));
    });

    private static Task<ApiResponse> DeleteManualRate(HttpContext context, string name, string currency) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        return await Currencies(context).RunAsync(actor, name, c => c.DeleteManualRateAsync(currency, AuditOf(actor), context.RequestAborted), context.RequestAborted)
            ? ApiResponse.NoContent()
            : throw new ApiNotFoundException(Localizable.Text("No manual rate for this currency."));
    });

    private static Task<ApiResponse> GetSsoSettings(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
        ApiResponse.Json(await Sso(context).RunAsync(ApiKeyDefaults.Actor(context), name, s => s.GetSettingsAsync(context.RequestAborted), context.RequestAborted)));

    private static Task<ApiResponse> PutSsoSettings(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var body = await ApiJson.ReadObjectAsync(context.Request, context.RequestAborted);
        return ApiResponse.Json(await Sso(context).RunAsync(actor, name, s => s.PutSettingsAsync(body, AuditOf(actor), context.RequestAborted), context.RequestAborted));
    });

    private static ITenantSsoAdministration Sso(HttpContext context) => ApiContext.Service<ITenantSsoAdministration>(context);

    /// <summary>The API key as the actor of the tenant's own audit entries.</summary>
    private static Studio.Audit.AuditActor AuditOf(PlatformActor actor) => new(actor.UserId, actor.DisplayName);

    private static Task<ApiResponse> GetBrand(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var tenant = await ApiContext.VisibleTenantAsync(context, ApiKeyDefaults.Actor(context), name);
        return ApiResponse.Json(tenant.Brand, etag: ApiContext.ETag(tenant.Version));
    });

    private static Task<ApiResponse> PutBrand(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var brand = ApiJson.Read<BrandSettings>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        await ApiContext.VisibleTenantAsync(context, actor, name);
        var version = ApiContext.ExpectedVersion(context);
        var updated = await ApiContext.Service<ITenantAdministration>(context).UpdateAsync(actor, name, version, new TenantEdit { Brand = brand }, context.RequestAborted);
        return ApiResponse.Json(updated.Brand, etag: ApiContext.ETag(updated.Version));
    });

    private static Task<ApiResponse> ListFeatures(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        return ApiResponse.Json(await ApiContext.Service<IFeatureAdministration>(context).ListAsync(actor, name, context.RequestAborted));
    });

    private static Task<ApiResponse> PreviewFeatures(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var change = ApiJson.Read<FeatureChangeRequest>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        await ApiContext.VisibleTenantAsync(context, actor, name);
        return ApiResponse.Json(await ApiContext.Service<IFeatureAdministration>(context).PreviewAsync(actor, name, change.Enable, change.Disable, context.RequestAborted));
    });

    private static Task<ApiResponse> ChangeFeatures(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var change = ApiJson.Read<FeatureChangeRequest>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        await ApiContext.VisibleTenantAsync(context, actor, name);
        var tenant = await ApiContext.Service<IFeatureAdministration>(context).ChangeAsync(actor, name, change.Enable, change.Disable, change.ConfirmExtra,
            ApiContext.OptionalExpectedVersion(context), context.RequestAborted);
        return ApiResponse.Json(tenant, etag: ApiContext.ETag(tenant.Version));
    });

    private static Task<ApiResponse> ListDomains(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        return ApiResponse.Json(await ApiContext.Service<IDomainAdministration>(context).ListAsync(actor, name, context.RequestAborted));
    });

    private static Task<ApiResponse> RequestDomain(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var request = ApiJson.Read<DomainRequest>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        await ApiContext.VisibleTenantAsync(context, actor, name);
        return ApiResponse.Json(await ApiContext.Service<IDomainAdministration>(context).RequestAsync(actor, name, request.Host ?? "", context.RequestAborted));
    });

    private static Task<ApiResponse> VerifyDomain(HttpContext context, string name, string host) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        return ApiResponse.Json(await ApiContext.Service<IDomainAdministration>(context).VerifyAsync(actor, name, host, context.RequestAborted));
    });

    private static Task<ApiResponse> RemoveDomain(HttpContext context, string name, string host) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        await ApiContext.VisibleTenantAsync(context, actor, name);
        await ApiContext.Service<IDomainAdministration>(context).RemoveAsync(actor, name, host, context.RequestAborted);
        return ApiResponse.NoContent();
    });

    private static Task<ApiResponse> SetPrimaryDomain(HttpContext context, string name) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var request = ApiJson.Read<DomainRequest>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        await ApiContext.VisibleTenantAsync(context, actor, name);
        await ApiContext.Service<IDomainAdministration>(context).SetPrimaryAsync(actor, name, NullIfEmpty(request.Host), context.RequestAborted);
        return ApiResponse.NoContent();
    });

    private static Task<ApiResponse> ListPlans(HttpContext context) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var plans = await ApiContext.Service<IPlanCatalog>(context).ListAsync(context.RequestAborted);
        if (!actor.IsOperator)
        {
            var granted = await GrantedPlansAsync(context, actor);
            plans = plans.Where(p => granted.Contains(p.Id)).ToList();
        }
        return ApiResponse.Json(plans);
    });

    private static Task<ApiResponse> GetPlan(HttpContext context, string id) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        var plan = await ApiContext.Service<IPlanCatalog>(context).GetAsync(id, context.RequestAborted);
        if (plan is null || (!actor.IsOperator && !(await GrantedPlansAsync(context, actor)).Contains(plan.Id)))
            throw new ApiNotFoundException(Localizable.Text("No such plan."));
        return ApiResponse.Json(plan, etag: ApiContext.ETag(plan.Version));
    });

    private static Task<ApiResponse> SavePlan(HttpContext context, string id) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        if (ApiContext.RequireOperator(context, actor) is { } forbidden)
            return forbidden;
        var plan = ApiJson.Read<PlanDefinition>(await ApiJson.ReadBodyAsync(context.Request, context.RequestAborted));
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        var saved = await ApiContext.Service<IPlanCatalog>(context).SaveAsync(actor, plan with { Id = id },
            ifMatch.Length == 0 ? null : ApiContext.ExpectedVersion(context), context.RequestAborted);
        return ApiResponse.Json(saved, etag: ApiContext.ETag(saved.Version));
    });

    private static Task<ApiResponse> DeletePlan(HttpContext context, string id) => ApiProblems.RunAsync(context, async () =>
    {
        var actor = ApiKeyDefaults.Actor(context);
        if (ApiContext.RequireOperator(context, actor) is { } forbidden)
            return forbidden;
        var catalog = ApiContext.Service<IPlanCatalog>(context);
        if (await catalog.GetAsync(id, context.RequestAborted) is null)
            throw new ApiNotFoundException(Localizable.Text("No such plan."));
        await catalog.DeleteAsync(actor, id, context.RequestAborted);
        return ApiResponse.NoContent();
    });

    private static async Task<HashSet<string>> GrantedPlansAsync(HttpContext context, PlatformActor actor)
    {
        var reseller = await ApiContext.Service<IResellerDirectory>(context).GetAsync(actor.ResellerId!, context.RequestAborted);
        return reseller is null ? [] : [.. reseller.Plans];
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
