using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Studio.Host.Features;
using Studio.Host.Plans;
using Studio.Host.Tenancy;
using Studio.Identity;
using Studio.Modules.Identity.Services;
using Studio.Platform;
using Studio.Tests.Infrastructure;
using Studio.Tests.Probe;

namespace Studio.Tests;

/// <summary>Plans: rules, the catalog, enforcement on every feature path, the staff-accounts limit, and the operator pages.</summary>
public sealed class PlanTests(StudioFactory factory) : StudioTest<StudioFactory>(factory)
{
    private static readonly PlatformActor Operator = new("op-test", "Operator (test)");

    private IPlanCatalog Catalog => Factory.Get<IPlanCatalog>();

    /// <summary>A plan of its own for one test: the probe feature but not its extra, two staff accounts.</summary>
    private async Task<PlanDefinition> ProbePlanAsync(long staff = 2, IReadOnlyList<string>? include = null, IReadOnlyList<string>? exclude = null) =>
        await Catalog.SaveAsync(Operator, new PlanDefinition
        {
            Id = NewName("p"),
            Name = "Probe plan",
            MonthlyPrice = 12.50m,
            Currency = "CHF",
            Include = include ?? ["Tests.Probe*", "Studio.Email"],
            Exclude = exclude ?? [ProbeFeatures.Extra],
            Themes = ["Aurora"],
            Limits = new Dictionary<string, long> { [PlanLimitKeys.StaffAccounts] = staff },
        }, expectedVersion: null);

    [Fact]
    public void Rules_match_exact_ids_and_prefixes_exclude_wins_and_dependencies_count()
    {
        var rules = Factory.Get<PlanRules>();
        Assert.True(PlanRules.Matches("Tests.*", ProbeFeatures.Extra));
        Assert.True(PlanRules.Matches("*", "Studio.Audit"));
        Assert.False(PlanRules.Matches("Tests.Probe", ProbeFeatures.Extra));
        Assert.False(PlanRules.Matches("Tests.Probe.X*", ProbeFeatures.Extra));

        var plan = new PlanDefinition { Id = "x", Include = ["Tests.*"], Exclude = [ProbeFeatures.Probe] };
        Assert.False(rules.Allows(plan, ProbeFeatures.Probe)); // excluded
        Assert.False(rules.Allows(plan, ProbeFeatures.Extra)); // included, but its dependency is not
        Assert.True(rules.Allows(plan, "Studio.Identity")); // always enabled: always allowed
        Assert.False(rules.Allows(plan, "Studio.Audit")); // no include matches

        var extraOnly = new PlanDefinition { Id = "y", Include = [ProbeFeatures.Extra] };
        Assert.False(rules.Allows(extraOnly, ProbeFeatures.Extra)); // the dependency closure is not included
        var both = extraOnly with { Include = [ProbeFeatures.Extra, ProbeFeatures.Probe] };
        Assert.True(rules.Allows(both, ProbeFeatures.Extra));
        Assert.True(rules.Allows(null, "Studio.Audit")); // no plan: unrestricted
        Assert.Equal([ProbeFeatures.Extra], rules.NotAllowed(plan with { Exclude = [] , Include = [ProbeFeatures.Extra] }, [ProbeFeatures.Extra]));
    }

    [Fact]
    public async Task The_catalog_is_seeded_versioned_validated_and_refuses_deleting_a_plan_in_use()
    {
        var all = await Catalog.ListAsync();
        Assert.Equal(["free", "studio", "pro", "enterprise"], all.Where(p => p.Id is "free" or "studio" or "pro" or "enterprise").Select(p => p.Id));
        var studio = all.Single(p => p.Id == "studio");
        Assert.Equal(29m, studio.MonthlyPrice);
        Assert.Equal("EUR", studio.Currency);
        Assert.Equal(5, studio.Limits[PlanLimitKeys.StaffAccounts]);

        var plan = await ProbePlanAsync();
        Assert.Equal(12.50m, (await Catalog.GetAsync(plan.Id))!.MonthlyPrice);
        var renamed = await Catalog.SaveAsync(Operator, plan with { Name = "Renamed" }, plan.Version);
        Assert.NotEqual(plan.Version, renamed.Version);
        // An edit made from the old version is refused: someone else saved meanwhile.
        await Assert.ThrowsAsync<PlatformConcurrencyException>(() => Catalog.SaveAsync(Operator, plan with { Name = "Stale" }, plan.Version));
        Assert.Equal("Renamed", (await Catalog.GetAsync(plan.Id))!.Name);
        await Assert.ThrowsAsync<PlatformValidationException>(() => Catalog.SaveAsync(Operator, plan, expectedVersion: null)); // id taken

        var bad = await Assert.ThrowsAsync<PlatformValidationException>(() => Catalog.SaveAsync(Operator, new PlanDefinition
        {
            Id = NewName("p"), Name = "Bad", MonthlyPrice = -1m, Currency = "XYZ",
            Include = ["Studio.Nope", "Nothing.*"], Limits = new Dictionary<string, long> { [PlanLimitKeys.Rooms] = -3 },
        }, null));
        Assert.Contains(bad.Errors, e => e.Contains("'Studio.Nope'"));
        Assert.Contains(bad.Errors, e => e.Contains("'Nothing.*'"));
        Assert.Contains(bad.Errors, e => e.Contains("negative") && e.Contains("rooms"));
        Assert.Contains(bad.Errors, e => e.Contains("price cannot be negative"));
        Assert.Contains(bad.Errors, e => e.Contains("'XYZ'"));

        var tenant = await CreateTenantAsync(configure: r => r with { Plan = plan.Id });
        var inUse = await Assert.ThrowsAsync<PlatformValidationException>(() => Catalog.DeleteAsync(Operator, plan.Id));
        Assert.Contains(tenant.Name, inUse.Errors.Single());
        Assert.NotNull(await Catalog.GetAsync(plan.Id));

        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { Plan = null });
        await Catalog.DeleteAsync(Operator, plan.Id);
        Assert.Null(await Catalog.GetAsync(plan.Id));
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => Catalog.DeleteAsync(new PlatformActor("r", "Reseller", ResellerId: "r1"), "free"));
    }

    [Fact]
    public async Task Enabling_a_feature_the_plan_forbids_is_refused_with_its_name_and_nothing_is_saved()
    {
        var plan = await ProbePlanAsync();
        var tenant = await CreateTenantAsync(configure: r => r with { Plan = plan.Id });
        var before = await RecordAsync(tenant.Name);

        var refused = await Assert.ThrowsAsync<FeatureChangeException>(() => Factory.Get<FeatureManager>().ChangeAsync(tenant.Name, [ProbeFeatures.Extra], [], force: true));
        Assert.Contains(ProbeFeatures.Extra, refused.Message);
        Assert.Contains("Probe plan", refused.Message);
        Assert.Equal(before.Version, (await RecordAsync(tenant.Name)).Version);
        await GetStringAsync(tenant.Client, "probe/info", HttpStatusCode.NotFound);

        // What the plan allows goes through, live.
        await ChangeFeaturesAsync(tenant.Name, [ProbeFeatures.Probe], []);
        await GetStringAsync(tenant.Client, "probe/info");

        // The same rule on creation (a recipe's or the request's features): nothing is left behind.
        var name = NewName();
        var created = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync([ProbeFeatures.Extra], r => r with { Plan = plan.Id }, name));
        Assert.Contains(ProbeFeatures.Extra, created.Message);
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
        await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Plan = "no-such-plan" }));
    }

    [Fact]
    public async Task A_plan_change_that_forbids_enabled_features_is_refused_with_their_list()
    {
        var plan = await ProbePlanAsync();
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe, ProbeFeatures.Extra]);
        var before = await RecordAsync(tenant.Name);
        var refused = await Assert.ThrowsAsync<TenantValidationException>(() =>
            Factory.Get<TenantService>().UpdateAsync(tenant.Name, before.Version, t => t with { Plan = plan.Id }));
        Assert.Contains(ProbeFeatures.Extra, refused.Errors.Single());
        Assert.DoesNotContain("Tests.Probe,", refused.Errors.Single());
        var after = await RecordAsync(tenant.Name);
        Assert.Equal(before.Version, after.Version);
        Assert.Null(after.Plan);

        await ChangeFeaturesAsync(tenant.Name, [], [ProbeFeatures.Extra]);
        var moved = await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { Plan = plan.Id });
        Assert.Equal(plan.Id, moved.Plan);
        // The tenant's container sees its plan.
        var info = await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<IPlanInfo>().GetAsync());
        Assert.Equal(plan.Id, info!.Id);
        Assert.True(info.AllowsTheme("Aurora"));
        Assert.False(info.AllowsTheme("Midnight"));
        Assert.True(info.AllowsFeature(ProbeFeatures.Probe));
        Assert.False(info.AllowsFeature(ProbeFeatures.Extra));
        Assert.Equal(2L, await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<IPlanLimits>().GetAsync(PlanLimitKeys.StaffAccounts)));
        Assert.Null(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<IPlanLimits>().GetAsync(PlanLimitKeys.Rooms)));
    }

    [Fact]
    public async Task A_theme_outside_the_plan_is_refused_on_create_and_on_change()
    {
        var plan = await ProbePlanAsync(); // Aurora only
        var refused = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Plan = plan.Id, Theme = "Midnight" }));
        Assert.Contains("'Midnight'", refused.Errors.Single());
        var tenant = await CreateTenantAsync(configure: r => r with { Plan = plan.Id, Theme = "Aurora" });
        var change = await Assert.ThrowsAsync<TenantValidationException>(() => Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { Theme = "Midnight" }));
        Assert.Contains("does not include the theme", change.Errors.Single());
        Assert.Equal("Aurora", (await RecordAsync(tenant.Name)).Theme);
    }

    [Fact]
    public async Task A_tenant_without_a_plan_is_unrestricted()
    {
        var tenant = await CreateTenantAsync([ProbeFeatures.Probe, ProbeFeatures.Extra]);
        Assert.Null(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<IPlanInfo>().GetAsync()));
        Assert.Null(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<IPlanLimits>().GetAsync(PlanLimitKeys.StaffAccounts)));
        await Factory.InTenantAsync(tenant.Name, async sp => { await sp.GetRequiredService<IPlanLimits>().EnsureWithinAsync(PlanLimitKeys.StaffAccounts, 10_000); return 0; });
    }

    [Fact]
    public async Task The_staff_limit_refuses_an_invitation_with_a_clear_message_and_writes_nothing()
    {
        var plan = await ProbePlanAsync(staff: 2);
        var tenant = await CreateTenantAsync(configure: r => r with { Plan = plan.Id });
        var owner = await Factory.ClientAsAsync(tenant, StudioRoles.Owner); // staff account 1

        using var first = await SubmitAsync(owner, "admin/staff", new() { ["Email"] = "one@example.test", ["Role"] = StudioRoles.Engineer }, "Invite");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode); // 2 of 2 (a pending invitation counts)

        using var refused = await SubmitAsync(owner, "admin/staff", new() { ["Email"] = "two@example.test", ["Role"] = StudioRoles.FrontDesk }, "Invite");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Your plan allows 2 staff accounts", await refused.Content.ReadAsStringAsync());
        Assert.Null(await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<UserManager<StudioUser>>().FindByEmailAsync("two@example.test")));

        // An edited plan applies at once; invitations at the same moment cannot both take the last seat.
        await Catalog.SaveAsync(Operator, plan with { Limits = new Dictionary<string, long> { [PlanLimitKeys.StaffAccounts] = 3 } }, plan.Version);
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Factory.InTenantAsync(tenant.Name, sp =>
            sp.GetRequiredService<AccountService>().CreateAsync($"race{i}@example.test", "", [StudioRoles.Engineer], password: null, emailConfirmed: false))));
        Assert.Single(racing, r => r.Succeeded);
        Assert.All(racing.Where(r => !r.Succeeded), r => Assert.Contains("Your plan allows 3 staff accounts", r.Error));

        // Clients are not staff: the limit does not apply to them.
        var client = await Factory.InTenantAsync(tenant.Name, sp => sp.GetRequiredService<AccountService>()
            .CreateAsync("client@example.test", "Cli", [StudioRoles.Client], "client-passphrase-1", emailConfirmed: true));
        Assert.True(client.Succeeded, client.Error);
    }

    [Fact]
    public async Task The_operator_pages_list_and_edit_plans_with_clear_messages()
    {
        var op = await OperatorAsync();
        var list = await GetStringAsync(op, "admin/plans");
        Assert.Contains("Enterprise", list);
        Assert.Contains("€29.00", System.Net.WebUtility.HtmlDecode(list));

        var id = NewName("p");
        using var bad = await SubmitAsync(op, "admin/plans/edit", new()
        {
            ["PlanId"] = id, ["Name"] = "Page plan", ["Price"] = "abc", ["Currency"] = "EUR", ["Include"] = "Studio.*",
            ["Limits[rooms]"] = "-1",
        });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Enter the monthly price as a number", await bad.Content.ReadAsStringAsync());

        using var negative = await SubmitAsync(op, "admin/plans/edit", new()
        {
            ["PlanId"] = id, ["Name"] = "Page plan", ["Price"] = "19.90", ["Currency"] = "GBP", ["Include"] = "Studio.*\nStudio.Nope",
            ["Limits[rooms]"] = "-1",
        });
        var html = await negative.Content.ReadAsStringAsync();
        Assert.Contains("The limit &#x27;rooms&#x27; cannot be negative.", html);
        Assert.Contains("There is no feature &#x27;Studio.Nope&#x27;.", html);
        Assert.Null(await Catalog.GetAsync(id));

        using var saved = await SubmitAsync(op, "admin/plans/edit", new()
        {
            ["PlanId"] = id, ["Name"] = "Page plan", ["Price"] = "19.90", ["Currency"] = "GBP", ["Include"] = "Studio.*",
            ["Limits[rooms]"] = "4", ["Limits[staff-accounts]"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var plan = (await Catalog.GetAsync(id))!;
        Assert.Equal(19.90m, plan.MonthlyPrice);
        Assert.Equal("GBP", plan.Currency);
        Assert.Equal(4, plan.Limits[PlanLimitKeys.Rooms]);
        Assert.False(plan.Limits.ContainsKey(PlanLimitKeys.StaffAccounts));
        Assert.Contains("Page plan", await GetStringAsync(op, "admin/plans"));

        // A limit some module defined (not on the form by default) survives an edit through the page.
        await Catalog.SaveAsync(Operator, plan with { Limits = new Dictionary<string, long>(plan.Limits) { ["studio-hours"] = 40 } }, plan.Version);
        using var again = await SubmitAsync(op, $"admin/plans/edit/{id}", new()
        {
            ["Version"] = (await Catalog.GetAsync(id))!.Version, ["Name"] = "Page plan 2", ["Price"] = "19.90", ["Currency"] = "GBP",
            ["Include"] = "Studio.*", ["Limits[rooms]"] = "4", ["Limits[studio-hours]"] = "40",
        });
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var edited = (await Catalog.GetAsync(id))!;
        Assert.Equal("Page plan 2", edited.Name);
        Assert.Equal(40, edited.Limits["studio-hours"]);
    }

    [Fact]
    public async Task Non_operators_cannot_reach_the_plan_and_feature_pages()
    {
        await OperatorAsync();
        var tenant = await CreateTenantAsync();
        var reseller = Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync("Default", await Factory.CreateUserAsync("Default", [StudioRoles.Reseller])));
        foreach (var url in new[] { "admin/plans", "admin/plans/edit/free", $"admin/tenants/{tenant.Name}/features" })
        {
            using var response = await reseller.GetAsync(url);
            // Signed in, but not an operator: access denied (a 403, or the access-denied page), never the page.
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("access-denied")),
                $"{url}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.DoesNotContain("Enterprise", await response.Content.ReadAsStringAsync());
        }
        using var anonymous = await Factory.ClientFor("localhost", handleCookies: false).GetAsync("admin/plans");
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode); // to the sign-in page
        // A studio has no such pages at all (the feature is the operator's).
        var owner = await Factory.ClientAsAsync(tenant, StudioRoles.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("admin/plans")).StatusCode);
    }

    [Fact]
    public async Task The_features_page_previews_a_toggle_and_applies_it_live_on_confirm()
    {
        var op = await OperatorAsync();
        var plan = await ProbePlanAsync();
        var tenant = await CreateTenantAsync(configure: r => r with { Plan = plan.Id });

        var page = await GetStringAsync(op, $"admin/tenants/{tenant.Name}/features");
        Assert.Contains(ProbeFeatures.Extra, page);
        Assert.Contains("Not in plan", page);
        Assert.Contains("Studio.Identity", page);

        // Disabling the dependency of an enabled feature previews its dependents first.
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { Plan = null });
        var preview = await GetStringAsync(op, $"admin/tenants/{tenant.Name}/features/change?enable={ProbeFeatures.Extra}");
        Assert.Contains($"This will enable: {ProbeFeatures.Probe}, {ProbeFeatures.Extra}.", preview);
        Assert.Contains($"Also changed, though not asked for: {ProbeFeatures.Probe}.", preview);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.Client.GetAsync("probe/info")).StatusCode); // nothing yet

        using var confirmed = await SubmitAsync(op, $"admin/tenants/{tenant.Name}/features/change?enable={ProbeFeatures.Extra}", new() { ["Enable"] = ProbeFeatures.Extra });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        await GetStringAsync(tenant.Client, "probe/info"); // live, on the next request

        var disable = await GetStringAsync(op, $"admin/tenants/{tenant.Name}/features/change?disable={ProbeFeatures.Probe}");
        Assert.Contains($"This will disable: {ProbeFeatures.Probe}, {ProbeFeatures.Extra}.", disable);

        // Under a plan that forbids it, the preview says so and offers no confirm; a forced post is refused.
        await ChangeFeaturesAsync(tenant.Name, [], [ProbeFeatures.Extra]);
        await Factory.Get<TenantService>().UpdateAsync(tenant.Name, null, t => t with { Plan = plan.Id });
        var forbidden = await GetStringAsync(op, $"admin/tenants/{tenant.Name}/features/change?enable={ProbeFeatures.Extra}");
        Assert.Contains($"does not allow: {ProbeFeatures.Extra}", forbidden);
        Assert.DoesNotContain("Confirm", forbidden);
        var admin = Factory.Get<IFeatureAdministration>();
        var refused = await Assert.ThrowsAsync<PlatformValidationException>(() => admin.ChangeAsync(Operator, tenant.Name, [ProbeFeatures.Extra], [], true));
        Assert.Contains(ProbeFeatures.Extra, refused.Errors.Single());
        Assert.DoesNotContain(ProbeFeatures.Extra, (await RecordAsync(tenant.Name)).Features);
        await Assert.ThrowsAsync<PlatformForbiddenException>(() => admin.ListAsync(new PlatformActor("r", "R", ResellerId: "someone"), tenant.Name));
    }

    [Fact]
    public async Task A_plan_change_is_audited_in_the_platform_trail()
    {
        var result = await Factory.Get<FeatureManager>().ChangeAsync(Studio.Tenancy.TenantContext.DefaultName, ["Studio.Audit"], [], force: true);
        Assert.True(result.Succeeded, result.Error);
        var plan = await ProbePlanAsync();
        await Catalog.SaveAsync(Operator, plan with { MonthlyPrice = 15m }, plan.Version);
        var entries = await Factory.InTenantAsync(Studio.Tenancy.TenantContext.DefaultName, async sp =>
            (await sp.GetRequiredService<Studio.Modules.Audit.Services.AuditLog>().QueryAsync(new Studio.Modules.Audit.Services.AuditQuery(PageSize: 200), CancellationToken.None)).Entries);
        Assert.Contains(entries, e => e.Action == "platform.plan.created" && e.Target == plan.Id && e.ActorId == Operator.UserId);
        var changed = Assert.Single(entries, e => e.Action == "platform.plan.changed" && e.Target == plan.Id);
        Assert.Contains("12.5", changed.BeforeJson);
        Assert.Contains("15", changed.AfterJson);
    }

    /// <summary>The Plans feature on the Default tenant and a client signed in there as an operator.</summary>
    private async Task<HttpClient> OperatorAsync()
    {
        var result = await Factory.Get<FeatureManager>().ChangeAsync(Studio.Tenancy.TenantContext.DefaultName, ["Studio.Plans"], [], force: true);
        Assert.True(result.Succeeded, result.Error);
        var op = await Factory.CreateUserAsync(Studio.Tenancy.TenantContext.DefaultName, [StudioRoles.Operator]);
        return Factory.ClientWithCookie("localhost", await Factory.SessionCookieAsync(Studio.Tenancy.TenantContext.DefaultName, op));
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string url, Dictionary<string, string> fields, string? handler = null)
    {
        using var page = await client.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)page.StatusCode} {Truncate(html)}");
        fields["__RequestVerificationToken"] = TestAccounts.Antiforgery(html);
        var target = handler is null ? url : url + (url.Contains('?') ? "&" : "?") + "handler=" + handler;
        return await client.PostAsync(target, new FormUrlEncodedContent(fields));
    }
}

/// <summary>Plans against recipes: a recipe cannot create more staff than the plan allows; nothing is left.</summary>
public sealed class PlanRecipeTests(RecipeStudioFactory factory) : StudioTest<RecipeStudioFactory>(factory)
{
    [Fact]
    public async Task A_recipe_creating_more_staff_than_the_plan_allows_leaves_no_tenant()
    {
        var plan = await Factory.Get<IPlanCatalog>().SaveAsync(new PlatformActor("op", "Op"), new PlanDefinition
        {
            Id = NewName("p"), Name = "One seat", Include = ["Studio.*"],
            Limits = new Dictionary<string, long> { [PlanLimitKeys.StaffAccounts] = 1 },
        }, null);
        var name = NewName();
        var e = await Assert.ThrowsAsync<TenantValidationException>(() => CreateTenantAsync(configure: r => r with { Recipe = "staff-users", Plan = plan.Id }, name: name));
        Assert.Contains("Your plan allows 1 staff accounts", e.Message);
        Assert.Null(await Factory.Get<ITenantStore>().FindAsync(name));
        await AssertStorageGoneAsync(name);

        var roomy = await Factory.Get<IPlanCatalog>().SaveAsync(new PlatformActor("op", "Op"), plan with { Limits = new Dictionary<string, long> { [PlanLimitKeys.StaffAccounts] = 2 } }, plan.Version);
        var created = await CreateTenantAsync(configure: r => r with { Recipe = "staff-users", Plan = roomy.Id });
        Assert.Equal(roomy.Id, (await RecordAsync(created.Name)).Plan);
    }
}
